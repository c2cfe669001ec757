using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using KubeCache.CacheNode.Cluster;
using KubeCache.CacheNode.Metrics;
using KubeCache.CacheNode.Storage;
using KubeCache.Hosting.Limits;
using KubeCache.Operator.Metrics;
using KubeCache.Prometheus;
using KubeCache.Router.Metrics;
using KubeCache.Router.Routing;
using KubeCache.Router.Upstream;

namespace KubeCache.Chart.Tests.Support;

/// <summary>
/// The Prometheus series names the node, the router and the operator really export: their metric
/// classes are created and scraped with the real exporter, so a renamed instrument breaks the
/// dashboard and alert tests.
/// </summary>
internal static partial class ExportedMetrics
{
    private static readonly Lazy<HashSet<string>> LazyNames = new(Scrape);

    /// <summary>Every series name, histogram _bucket/_sum/_count included.</summary>
    public static IReadOnlySet<string> Names => LazyNames.Value;

    /// <summary>What is wrong with a PromQL expression of <paramref name="owner"/> (a panel, an alert): it names no kvcache_ series, or one that is not exported.</summary>
    public static IEnumerable<string> Problems(string owner, string expression)
    {
        string[] used = [.. MetricName().Matches(expression).Select(m => m.Value)];
        return used.Length == 0
            ? [$"{owner}: '{expression}' names no kvcache_ metric"]
            : used.Where(m => !Names.Contains(m)).Select(m => $"{owner}: {m} is not exported");
    }

    private static HashSet<string> Scrape()
    {
        using var exporter = new PrometheusExporter([NodeMetrics.MeterName, RouterMetrics.MeterName, OperatorMetrics.MeterName]);
        using var meters = new TestMeterFactory();
        using var node = new NodeMetrics(new CacheStore(new StoreOptions { CapacityBytes = 16 << 20, ShardCount = 1 }), meters, new HandoffProgress());
        _ = new LimitMetrics(meters.Create(NodeMetrics.MeterName));
        var pool = new UpstreamPool();
        using var router = new RouterMetrics(meters, new RouteTable(pool));
        using var operatorMetrics = new OperatorMetrics(meters);

        // Histograms and per-series counters appear once something was recorded.
        node.Series("http", "get").Record(ok: true, Stopwatch.GetTimestamp());
        router.Request("http", "get", ok: true);
        router.Upstream("node-0", ok: true, Stopwatch.GetTimestamp());
        operatorMetrics.Reconciled("success", TimeSpan.FromMilliseconds(1));
        operatorMetrics.Ring("demo", 1, 0);
        operatorMetrics.NodeLost("demo", "OOMKilled", 1);

        string text = exporter.WriteToString();
        pool.DisposeAsync().AsTask().GetAwaiter().GetResult();
        var names = new HashSet<string>(StringComparer.Ordinal);
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

    [GeneratedRegex(@"\bkvcache_[a-z0-9_]+")]
    private static partial Regex MetricName();

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
