using System.Net;
using KubeCache.HttpContract;
using KubeCache.HttpContract.Limits;
using KubeCache.Prometheus;
using KubeCache.Router.Http;
using KubeCache.Router.Metrics;
using KubeCache.Router.Options;
using KubeCache.Router.Resp;
using KubeCache.Router.Routing;
using KubeCache.Router.Upstream;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace KubeCache.Router.Hosting;

/// <summary>
/// One router: the HTTP listener (sharing its port with RESP, as on a node), the RESP listener,
/// the route table fed by the ring, and the upstream pool. Program and tests start routers here.
/// </summary>
public sealed class RouterServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Listeners _listeners;

    private RouterServer(WebApplication app, RouterOptions options, Listeners listeners)
    {
        _app = app;
        Options = options;
        _listeners = listeners;
    }

    public RouterOptions Options { get; }

    public IServiceProvider Services => _app.Services;

    public RouteTable Routes => _app.Services.GetRequiredService<RouteTable>();

    public IPEndPoint HttpEndPoint => _listeners.Http?.IPEndPoint ?? throw new InvalidOperationException("The router is not started.");

    public IPEndPoint? RespEndPoint => _listeners.Resp?.IPEndPoint;

    /// <param name="options">Validated again here, so a bad value fails before anything listens.</param>
    /// <param name="logging">Replaces the console logging (tests pass one that clears providers).</param>
    /// <param name="configureServices">Adds services (local mode registers its cluster here).</param>
    public static RouterServer Create(RouterOptions options, Action<ILoggingBuilder>? logging = null, Action<IServiceCollection>? configureServices = null)
    {
        options.Validate();
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        ServerHostDefaults.Apply(builder, logging, options.ShutdownTimeout);
        ServerLimits.AddTo(builder, options.Limits, options.MaxBodyBytes, RouterMetrics.MeterName);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(s => new UpstreamPool(options.ToUpstreamOptions(), s.GetRequiredService<ILoggerFactory>().CreateLogger("KubeCache.Router.Upstream")));
        builder.Services.AddSingleton<RouteTable>();
        builder.Services.AddSingleton<RouterMetrics>();
        builder.Services.AddSingleton<KeyRouter>();
        builder.Services.AddSingleton(s => new PrometheusExporter(
            [RouterMetrics.MeterName], new PrometheusExporterOptions { MeterScope = s.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>() }));
        builder.Services.AddSingleton<RouterCommands>();
        builder.Services.AddSingleton<RouterRespHandler>();
        builder.Services.AddSingleton<IRouterEndpoints, KeyEndpoints>();
        builder.Services.AddSingleton<RouterHttpApi>();
        if (options.RingFile is not null)
        {
            builder.Services.AddHostedService<RingFileMembership>();
        }

        configureServices?.Invoke(builder.Services);

        var listeners = new Listeners();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            IPAddress address = IPAddress.Parse(options.Bind);
            kestrel.Listen(address, options.HttpPort, listen =>
            {
                listeners.Http = listen;
                listen.Protocols = HttpProtocols.Http1;
                ServerLimits limits = kestrel.ApplicationServices.GetRequiredService<ServerLimits>();
                RouterRespHandler resp = kestrel.ApplicationServices.GetRequiredService<RouterRespHandler>();
                listen.Use(next => limits.Admit(next, respOnly: false));
                listen.Use(next => ProtocolSniffer.Create(next, connection => limits.ServeRespAsync(connection, resp.HandleAsync)));
            });
            if (options.RespPort > 0)
            {
                kestrel.Listen(address, options.RespPort, listen =>
                {
                    listeners.Resp = listen;
                    ServerLimits limits = kestrel.ApplicationServices.GetRequiredService<ServerLimits>();
                    RouterRespHandler resp = kestrel.ApplicationServices.GetRequiredService<RouterRespHandler>();
                    listen.Use(next => limits.Admit(next, respOnly: true));
                    listen.Run(connection => limits.ServeRespAsync(connection, resp.HandleAsync));
                });
            }
        });

        WebApplication app = builder.Build();
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

    private sealed class Listeners
    {
        public ListenOptions? Http { get; set; }

        public ListenOptions? Resp { get; set; }
    }
}
