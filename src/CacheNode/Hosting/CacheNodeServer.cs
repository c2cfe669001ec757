using System.Diagnostics.Metrics;
using System.Net;
using k8s;
using KubeCache.CacheNode.Cluster;
using KubeCache.CacheNode.Http;
using KubeCache.CacheNode.Metrics;
using KubeCache.CacheNode.Options;
using KubeCache.CacheNode.Resp;
using KubeCache.CacheNode.Storage;
using KubeCache.HttpContract;
using KubeCache.HttpContract.Limits;
using KubeCache.Prometheus;
using KubeCache.Security;
using Microsoft.AspNetCore.Connections;

namespace KubeCache.CacheNode.Hosting;

/// <summary>
/// One cache node: the store, its maintenance loops, the HTTP listener (which also takes RESP
/// connections, told apart by their first byte) and the RESP listener. Program and the tests
/// start nodes through this class, so both run the same wiring.
/// </summary>
public sealed class CacheNodeServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ServerListeners _listeners;

    private CacheNodeServer(WebApplication app, NodeOptions options, ServerListeners listeners)
    {
        _app = app;
        Options = options;
        _listeners = listeners;
    }

    public NodeOptions Options { get; }

    public CacheStore Store => _app.Services.GetRequiredService<CacheStore>();

    /// <summary>Where HTTP (and sniffed RESP) is served, with the real port once started.</summary>
    public IPEndPoint HttpEndPoint => _listeners.Http?.IPEndPoint ?? throw new InvalidOperationException("The node is not started, or serves HTTPS only.");

    /// <summary>Where RESP is served, or null when --resp-port is 0.</summary>
    public IPEndPoint? RespEndPoint => _listeners.Resp?.IPEndPoint;

    /// <summary>Where HTTPS (and RESP over TLS) is served, or null when --tls-http-port is not set.</summary>
    public IPEndPoint? TlsHttpEndPoint => _listeners.TlsHttp?.IPEndPoint;

    /// <summary>Where RESP over TLS is served, or null when --tls-resp-port is not set.</summary>
    public IPEndPoint? TlsRespEndPoint => _listeners.TlsResp?.IPEndPoint;

    public IServiceProvider Services => _app.Services;

    /// <summary>Builds a node from validated options; nothing listens until <see cref="StartAsync"/>.</summary>
    /// <param name="options">Validated again here, so a bad value fails before anything listens.</param>
    /// <param name="logging">Replaces the console logging (tests pass one that clears providers).</param>
    /// <param name="kubernetes">The API connection for --ring-configmap (tests pass a fake API server's); null loads it with <c>KubernetesConnection.Load()</c>.</param>
    public static CacheNodeServer Create(NodeOptions options, Action<ILoggingBuilder>? logging = null, KubernetesClientConfiguration? kubernetes = null)
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
        builder.Services.AddSingleton<WatchedKeys>();
        builder.Services.AddSingleton<RespCommandTable>();
        builder.Services.AddSingleton<RespConnectionHandler>();
        builder.Services.AddSingleton<StoreKeyBackend>();
        builder.Services.AddSingleton<HttpApi>();
        builder.Services.AddHostedService<StoreMaintenance>();
        builder.Services.AddSingleton<HandoffProgress>();
        builder.Services.AddSingleton<NodeRing>();
        builder.Services.AddSingleton<KeyPuller>();
        builder.Services.AddSingleton<HandoffService>();
        builder.Services.AddHostedService(s => s.GetRequiredService<HandoffService>());
        builder.Services.AddClusterMembership(options, kubernetes);
        builder.Services.AddKubeCacheSecurity(options.Security, NodeMetrics.MeterName);

        var listeners = new ServerListeners();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            listeners.Listen(
                kestrel, IPAddress.Parse(options.Bind), options.HttpPort, options.RespPort, options.Security,
                services => services.GetRequiredService<RespConnectionHandler>().HandleAsync,
                services =>
                {
                    NodeMetrics metrics = services.GetRequiredService<NodeMetrics>();
                    return opened => (opened ? (Action<bool>)metrics.ConnectionOpened : metrics.ConnectionClosed)(false);
                });
        });

        WebApplication app = builder.Build();
        app.UseKubeCacheSecurity();
        HttpApi api = app.Services.GetRequiredService<HttpApi>();
        app.Run(api.HandleAsync);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            StoreOptions store = options.ToStoreOptions();
            string resp = listeners.Resp?.IPEndPoint?.ToString() ?? "disabled";
            Log.Listening(app.Logger, listeners.Http?.IPEndPoint?.ToString() ?? "disabled", resp, store.CapacityBytes, store.ShardCount, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
        });
        return new CacheNodeServer(app, options, listeners);
    }

    public Task StartAsync(CancellationToken cancellationToken = default) => _app.StartAsync(cancellationToken);

    /// <summary>Runs until the host is told to stop (SIGTERM, Ctrl+C).</summary>
    public Task RunAsync() => _app.RunAsync();

    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync().ConfigureAwait(false);
}
