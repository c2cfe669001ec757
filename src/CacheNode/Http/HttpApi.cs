using KubeCache.CacheNode.Cluster;
using KubeCache.CacheNode.Metrics;
using KubeCache.CacheNode.Options;
using KubeCache.CacheNode.Storage;
using KubeCache.ClientContract.Http;
using KubeCache.HttpContract;
using KubeCache.Prometheus;

namespace KubeCache.CacheNode.Http;

/// <summary>
/// The node's HTTP side: one dispatch table holding the key API and probes every server shares
/// (over <see cref="StoreKeyBackend"/>) and the node's own endpoints: /stats and /cluster/*.
/// </summary>
public sealed partial class HttpApi
{
    private readonly CacheStore _store;
    private readonly NodeOptions _options;
    private readonly ILogger<HttpApi> _logger;
    private readonly HttpEndpointTable _table;

    public HttpApi(
        CacheStore store, NodeOptions options, NodeMetrics metrics, PrometheusExporter exporter, ClusterMembership cluster, HandoffProgress handoff,
        StoreKeyBackend keys, IHostApplicationLifetime lifetime, ILogger<HttpApi> logger)
    {
        _store = store;
        _options = options;
        _logger = logger;
        _cluster = cluster;
        _handoff = handoff;
        HttpEndpoint[] own =
        [
            new("/stats", "stats", ["GET"], StatsAsync),
            new("/cluster/handoff", "cluster_handoff", ["GET"], HandoffAsync),
            new("/cluster/ring", "cluster_ring", ["GET"], RingAsync),
            new("/cluster/prestop", "cluster_prestop", ["GET"], PrestopAsync),
        ];
        var keyEndpoints = new KeyEndpoints(keys, options.MissStatus);
        _table = new HttpEndpointTable(
            keyEndpoints.Endpoints
                .Concat(ProbeEndpoints.Create(lifetime, exporter))
                .Concat(own),
            new HttpTableSettings
            {
                Process = "node",
                MissStatus = options.MissStatus,
                MaxBodyBytes = options.MaxBodyBytes,
                Recorder = name =>
                {
                    RequestSeries series = metrics.Series("http", name);
                    return (ok, started) => series.Record(ok, started);
                },
                Logger = logger,
            });
        HotRequests = new HotKeyRequests(keyEndpoints, _table, answersAtOnce: true);
    }

    /// <summary>/get and /put for the HTTP connections' own reader, counted in the same table.</summary>
    public IHotKeyRequests HotRequests { get; }

    public Task HandleAsync(HttpContext context) => _table.HandleAsync(context);

    private static ValueTask<int> WriteAsync(HttpContext context, int status, JsonReply reply) => new(HttpReplies.Write(context, status, reply));

    private static ValueTask<int> WriteErrorAsync(HttpContext context, int status, string message) => new(HttpReplies.WriteError(context, status, message));
}
