using System.Diagnostics.Metrics;
using System.Net;
using KubeCache.CacheNode.Cluster;
using KubeCache.CacheNode.Http;
using KubeCache.CacheNode.Metrics;
using KubeCache.CacheNode.Options;
using KubeCache.CacheNode.Resp;
using KubeCache.CacheNode.Storage;
using KubeCache.HttpContract;
using KubeCache.HttpContract.Limits;
using KubeCache.Prometheus;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace KubeCache.CacheNode.Hosting;

/// <summary>
/// One cache node: the store, its maintenance loops, the HTTP listener (which also takes RESP
/// connections, told apart by their first byte) and the RESP listener. Program and the tests
/// start nodes through this class, so both run the same wiring.
/// </summary>
public sealed class CacheNodeServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Listeners _listeners;

    private CacheNodeServer(WebApplication app, NodeOptions options, Listeners listeners)
    {
        _app = app;
        Options = options;
        _listeners = listeners;
    }

    public NodeOptions Options { get; }

    public CacheStore Store => _app.Services.GetRequiredService<CacheStore>();

    /// <summary>Where HTTP (and sniffed RESP) is served, with the real port once started.</summary>
    public IPEndPoint HttpEndPoint => _listeners.Http?.IPEndPoint ?? throw new InvalidOperationException("The node is not started.");

    /// <summary>Where RESP is served, or null when --resp-port is 0.</summary>
    public IPEndPoint? RespEndPoint => _listeners.Resp?.IPEndPoint;

    public IServiceProvider Services => _app.Services;

    public static CacheNodeServer Create(NodeOptions options, Action<ILoggingBuilder>? logging = null)
    {
        options.Validate();
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        ServerHostDefaults.Apply(builder, logging, options.ShutdownTimeout);
        ServerLimits.AddTo(builder, options.Limits, options.MaxBodyBytes, NodeMetrics.MeterName);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(new CacheStore(options.ToStoreOptions()));
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<NodeMetrics>();

        // Scoped to this host's meter factory, so nodes sharing a process (tests) do not mix their series.
        builder.Services.AddSingleton(services => new PrometheusExporter(
            [NodeMetrics.MeterName], new PrometheusExporterOptions { MeterScope = services.GetRequiredService<IMeterFactory>() }));
        builder.Services.AddSingleton<RespCommandTable>();
        builder.Services.AddSingleton<RespConnectionHandler>();
        builder.Services.AddSingleton<HttpApi>();
        builder.Services.AddHostedService<StoreMaintenance>();
        builder.Services.AddSingleton<HandoffProgress>();
        builder.Services.AddSingleton<HandoffService>();
        builder.Services.AddHostedService(s => s.GetRequiredService<HandoffService>());
        builder.Services.AddSingleton<ClusterMembership>();
        builder.Services.AddHostedService(s => s.GetRequiredService<ClusterMembership>());

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
                listen.Use(next => limits.Admit(next, respOnly: false));
                listen.Use(next =>
                {
                    NodeMetrics metrics = kestrel.ApplicationServices.GetRequiredService<NodeMetrics>();
                    RespConnectionHandler resp = kestrel.ApplicationServices.GetRequiredService<RespConnectionHandler>();
                    return ProtocolSniffer.Create(
                        next,
                        connection => limits.ServeRespAsync(connection, resp.HandleAsync),
                        opened => (opened ? (Action<bool>)metrics.ConnectionOpened : metrics.ConnectionClosed)(false));
                });
            });
            if (options.RespPort > 0)
            {
                kestrel.Listen(address, options.RespPort, listen =>
                {
                    listeners.Resp = listen;
                    ServerLimits limits = kestrel.ApplicationServices.GetRequiredService<ServerLimits>();
                    RespConnectionHandler resp = kestrel.ApplicationServices.GetRequiredService<RespConnectionHandler>();
                    listen.Use(next => limits.Admit(next, respOnly: true));
                    listen.Run(connection => limits.ServeRespAsync(connection, resp.HandleAsync));
                });
            }
        });

        WebApplication app = builder.Build();
        HttpApi api = app.Services.GetRequiredService<HttpApi>();
        app.Run(api.HandleAsync);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            StoreOptions store = options.ToStoreOptions();
            string resp = listeners.Resp?.IPEndPoint?.ToString() ?? "disabled";
            Log.Listening(app.Logger, listeners.Http!.IPEndPoint!.ToString(), resp, store.CapacityBytes, store.ShardCount);
        });
        return new CacheNodeServer(app, options, listeners);
    }

    public Task StartAsync(CancellationToken cancellationToken = default) => _app.StartAsync(cancellationToken);

    /// <summary>Runs until the host is told to stop (SIGTERM, Ctrl+C).</summary>
    public Task RunAsync() => _app.RunAsync();

    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync().ConfigureAwait(false);

    /// <summary>Kestrel fills in the bound endpoints (real ports included) when it starts.</summary>
    private sealed class Listeners
    {
        public ListenOptions? Http { get; set; }

        public ListenOptions? Resp { get; set; }
    }
}
