using k8s;
using KubeCache.Background;
using KubeCache.Hosting;
using KubeCache.Hosting.Transport;
using KubeCache.Router.Http;
using KubeCache.Router.Metrics;
using KubeCache.Router.Options;
using KubeCache.Router.Resp;
using KubeCache.Router.Routing;
using KubeCache.Router.Security;
using KubeCache.Router.Upstream;
using KubeCache.Security.Tls;

namespace KubeCache.Router.Hosting;

/// <summary>
/// One router: the HTTP listener (sharing its port with RESP, as on a node), the RESP listener,
/// the route table fed by the ring, and the upstream pool. Program and tests start routers here.
/// </summary>
public sealed class RouterServer : KubeCacheServer
{
    private RouterServer(WebApplication app, RouterOptions options, ServerListeners listeners)
        : base(app, listeners)
    {
        Options = options;
    }

    public RouterOptions Options { get; }

    public RouteTable Routes => Services.GetRequiredService<RouteTable>();

    /// <param name="options">Validated again here, so a bad value fails before anything listens.</param>
    /// <param name="logging">Replaces the console logging (tests pass one that clears providers).</param>
    /// <param name="configureServices">Adds services (local mode registers its cluster here).</param>
    /// <param name="kubernetes">The API connection for --ring-configmap (tests pass a fake API server's); null loads it with <c>KubernetesConnection.Load()</c>.</param>
    public static RouterServer Create(
        RouterOptions options, Action<ILoggingBuilder>? logging = null, Action<IServiceCollection>? configureServices = null, KubernetesClientConfiguration? kubernetes = null)
    {
        options.Validate();
        WebApplicationBuilder builder = CreateBuilder(options, RouterMetrics.MeterName, logging);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(s => new UpstreamPool(
            options.ToUpstreamOptions(
                PeerUpstreamHandshake.For(s.GetRequiredService<PeerConnector>()),
                s.GetRequiredService<BackgroundErrors>(),
                s.GetService<EpollTransportFactory>()),
            s.GetRequiredService<ILoggerFactory>().CreateLogger("KubeCache.Router.Upstream")));
        builder.Services.AddSingleton<RouteTable>();
        builder.Services.AddSingleton<RouterMetrics>();
        builder.Services.AddSingleton<KeyRouter>();
        builder.Services.AddSingleton<RouterCommands>();
        builder.Services.AddSingleton<RouterRespHandler>();
        builder.Services.AddSingleton<RouterHttpApi>();
        RingMembership.Register(builder.Services, options, kubernetes);
        configureServices?.Invoke(builder.Services);

        (WebApplication app, ServerListeners listeners) = Build(
            builder,
            options,
            services => services.GetRequiredService<RouterRespHandler>().HandleAsync,
            services => services.GetRequiredService<RouterHttpApi>().HandleAsync,
            hotRequests: services => services.GetRequiredService<RouterHttpApi>().HotRequests);
        return new RouterServer(app, options, listeners);
    }
}
