using k8s;
using KubeCache.CacheNode.Cluster;
using KubeCache.CacheNode.Http;
using KubeCache.CacheNode.Metrics;
using KubeCache.CacheNode.Options;
using KubeCache.CacheNode.Resp;
using KubeCache.CacheNode.Storage;
using KubeCache.Hosting;

namespace KubeCache.CacheNode.Hosting;

/// <summary>
/// One cache node: the store, its maintenance loops, the HTTP listener (which also takes RESP
/// connections, told apart by their first byte) and the RESP listener. Program and the tests
/// start nodes through this class, so both run the same wiring.
/// </summary>
public sealed class CacheNodeServer : KubeCacheServer
{
    private CacheNodeServer(WebApplication app, NodeOptions options, ServerListeners listeners)
        : base(app, listeners)
    {
        Options = options;
    }

    public NodeOptions Options { get; }

    public CacheStore Store => Services.GetRequiredService<CacheStore>();

    /// <summary>Builds a node from validated options; nothing listens until <see cref="KubeCacheServer.StartAsync"/>.</summary>
    /// <param name="options">Validated again here, so a bad value fails before anything listens.</param>
    /// <param name="logging">Replaces the console logging (tests pass one that clears providers).</param>
    /// <param name="kubernetes">The API connection for --ring-configmap (tests pass a fake API server's); null loads it with <c>KubernetesConnection.Load()</c>.</param>
    public static CacheNodeServer Create(NodeOptions options, Action<ILoggingBuilder>? logging = null, KubernetesClientConfiguration? kubernetes = null)
    {
        options.Validate();
        WebApplicationBuilder builder = CreateBuilder(options, NodeMetrics.MeterName, logging);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(new CacheStore(options.ToStoreOptions()));
        builder.Services.AddSingleton<NodeMetrics>();
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

        (WebApplication app, ServerListeners listeners) = Build(
            builder,
            options,
            services => services.GetRequiredService<RespConnectionHandler>().HandleAsync,
            services => services.GetRequiredService<HttpApi>().HandleAsync,
            services =>
            {
                NodeMetrics metrics = services.GetRequiredService<NodeMetrics>();
                return opened => (opened ? (Action<bool>)metrics.ConnectionOpened : metrics.ConnectionClosed)(false);
            },
            services => services.GetRequiredService<HttpApi>().HotRequests);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            StoreOptions store = options.ToStoreOptions();
            string resp = listeners.Resp?.IPEndPoint?.ToString() ?? "disabled";
            Log.Listening(app.Logger, listeners.Http?.IPEndPoint?.ToString() ?? "disabled", resp, store.CapacityBytes, store.ShardCount, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
        });
        return new CacheNodeServer(app, options, listeners);
    }
}
