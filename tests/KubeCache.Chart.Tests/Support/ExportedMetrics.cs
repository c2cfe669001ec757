using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using KubeCache.CacheNode.Metrics;
using KubeCache.CacheNode.Storage;
using KubeCache.Prometheus;
using KubeCache.Router.Metrics;
using KubeCache.Router.Routing;
using KubeCache.Router.Upstream;

namespace KubeCache.Chart.Tests.Support;

/// <summary>
/// The Prometheus series names the node and the router really export: their metric classes are
/// created and scraped with the real exporter, so a renamed instrument breaks the dashboard test.
/// </summary>
internal static partial class ExportedMetrics
{
    /// <summary>
    /// Operator metrics the dashboard uses. The operator is written in parallel with the chart;
    /// these are the names it is asked to export (contracts: prefix kvcache_operator_).
    /// </summary>
    public static readonly string[] AssumedOperatorMetrics = ["kvcache_operator_ring_epoch", "kvcache_operator_rebalance_keys_left"];

    private static readonly Lazy<HashSet<string>> LazyNames = new(Scrape);

    /// <summary>Every series name, histogram _bucket/_sum/_count included, plus the assumed operator names.</summary>
    public static IReadOnlySet<string> Names => LazyNames.Value;

    private static HashSet<string> Scrape()
    {
        using var exporter = new PrometheusExporter([NodeMetrics.MeterName, RouterMetrics.MeterName]);
        using var meters = new TestMeterFactory();
        using var node = new NodeMetrics(new CacheStore(new StoreOptions { CapacityBytes = 16 << 20, ShardCount = 1 }), meters);
        var pool = new UpstreamPool();
        using var router = new RouterMetrics(meters, new RouteTable(pool));

        // Histograms and per-series counters appear once something was recorded.
        node.Series("http", "get").Record(ok: true, Stopwatch.GetTimestamp());
        router.Request("http", "get", ok: true);
        router.Upstream("node-0", ok: true, Stopwatch.GetTimestamp());

        string text = exporter.WriteToString();
        pool.DisposeAsync().AsTask().GetAwaiter().GetResult();
        var names = new HashSet<string>(AssumedOperatorMetrics, StringComparer.Ordinal);
        foreach (Match family in TypeLine().Matches(text))
        {
            string name = family.Groups["name"].Value;
            names.Add(name);
            if (family.Groups["type"].Value == "histogram")
            {
                names.UnionWith([name + "_bucket", name + "_sum", name + "_count"]);
            }
        }

        return names;
    }

    [GeneratedRegex(@"^# TYPE (?<name>\S+) (?<type>\S+)$", RegexOptions.Multiline)]
    private static partial Regex TypeLine();

    private sealed class TestMeterFactory : IMeterFactory
    {
        private readonly List<Meter> _meters = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options);
            _meters.Add(meter);
            return meter;
        }

        public void Dispose() => _meters.ForEach(m => m.Dispose());
    }
}
