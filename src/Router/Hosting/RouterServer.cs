using System.Net;
using k8s;
using KubeCache.Background;
using KubeCache.HttpContract;
using KubeCache.HttpContract.Limits;
using KubeCache.Prometheus;
using KubeCache.Router.Http;
using KubeCache.Router.Metrics;
using KubeCache.Router.Options;
using KubeCache.Router.Resp;
using KubeCache.Router.Routing;
using KubeCache.Router.Security;
using KubeCache.Router.Upstream;
using KubeCache.Security;
using KubeCache.Security.Tls;
using Microsoft.AspNetCore.Connections;

namespace KubeCache.Router.Hosting;

/// <summary>
/// One router: the HTTP listener (sharing its port with RESP, as on a node), the RESP listener,
/// the route table fed by the ring, and the upstream pool. Program and tests start routers here.
/// </summary>
public sealed class RouterServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ServerListeners _listeners;

    private RouterServer(WebApplication app, RouterOptions options, ServerListeners listeners)
    {
        _app = app;
        Options = options;
        _listeners = listeners;
    }

    public RouterOptions Options { get; }

    public IServiceProvider Services => _app.Services;

    public RouteTable Routes => _app.Services.GetRequiredService<RouteTable>();

    public IPEndPoint HttpEndPoint => _listeners.Http?.IPEndPoint ?? throw new InvalidOperationException("The router is not started, or serves HTTPS only.");

    public IPEndPoint? RespEndPoint => _listeners.Resp?.IPEndPoint;

    /// <summary>Where HTTPS (and RESP over TLS) is served, or null when --tls-http-port is not set.</summary>
    public IPEndPoint? TlsHttpEndPoint => _listeners.TlsHttp?.IPEndPoint;

    /// <summary>Where RESP over TLS is served, or null when --tls-resp-port is not set.</summary>
    public IPEndPoint? TlsRespEndPoint => _listeners.TlsResp?.IPEndPoint;

    /// <param name="options">Validated again here, so a bad value fails before anything listens.</param>
    /// <param name="logging">Replaces the console logging (tests pass one that clears providers).</param>
    /// <param name="configureServices">Adds services (local mode registers its cluster here).</param>
    /// <param name="kubernetes">The API connection for --ring-configmap (tests pass a fake API server's); null loads it with <c>KubernetesConnection.Load()</c>.</param>
    public static RouterServer Create(
        RouterOptions options, Action<ILoggingBuilder>? logging = null, Action<IServiceCollection>? configureServices = null, KubernetesClientConfiguration? kubernetes = null)
    {
        options.Validate();
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        ServerHostDefaults.Apply(builder, logging, options.ShutdownTimeout);
        ServerLimits.AddTo(builder, options.Limits, options.MaxBodyBytes, RouterMetrics.MeterName);
        builder.Services.AddSingleton(options);
        builder.Services.AddKubeCacheSecurity(options.Security, RouterMetrics.MeterName);
        builder.Services.AddSingleton(s => new UpstreamPool(
            options.ToUpstreamOptions(PeerUpstreamHandshake.For(s.GetRequiredService<PeerConnector>()), s.GetRequiredService<BackgroundErrors>()),
            s.GetRequiredService<ILoggerFactory>().CreateLogger("KubeCache.Router.Upstream")));
        builder.Services.AddSingleton<RouteTable>();
        builder.Services.AddSingleton<RouterMetrics>();
        builder.Services.AddSingleton<KeyRouter>();
        builder.Services.AddSingleton(s => new PrometheusExporter(
            [RouterMetrics.MeterName], new PrometheusExporterOptions { MeterScope = s.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>() }));
        builder.Services.AddSingleton<RouterCommands>();
        builder.Services.AddSingleton<RouterRespHandler>();
        builder.Services.AddSingleton<RouterHttpApi>();
        RingMembership.Register(builder.Services, options, kubernetes);

        configureServices?.Invoke(builder.Services);

        var listeners = new ServerListeners();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            listeners.Listen(
                kestrel, IPAddress.Parse(options.Bind), options.HttpPort, options.RespPort, options.Security,
                services => services.GetRequiredService<RouterRespHandler>().HandleAsync);
        });

        WebApplication app = builder.Build();
        app.UseKubeCacheSecurity();
        app.Run(app.Services.GetRequiredService<RouterHttpApi>().HandleAsync);
        return new RouterServer(app, options, listeners);
    }

    public Task StartAsync(CancellationToken cancellationToken = default) => _app.StartAsync(cancellationToken);

    public Task RunAsync() => _app.RunAsync();

    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
