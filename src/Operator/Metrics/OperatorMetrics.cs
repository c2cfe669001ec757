using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace KubeCache.Operator.Metrics;

/// <summary>
/// The operator's instruments on the <see cref="MeterName"/> meter, exported as
/// kvcache_operator_ring_epoch{kvcluster}, kvcache_operator_rebalance_keys_left{kvcluster},
/// kvcache_operator_reconciles_total{result}, kvcache_operator_reconcile_duration_seconds,
/// kvcache_operator_leader, and for crashed nodes kvcache_operator_node_losses_total{kvcluster,reason},
/// kvcache_operator_keys_lost_total{kvcluster} and kvcache_operator_node_keys{kvcluster,node}
/// (each node's keys at the last poll).
/// </summary>
public sealed class OperatorMetrics : IDisposable
{
    public const string MeterName = "KubeCache.Operator";

    private readonly Meter _meter;
    private readonly Counter<long> _reconciles;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _nodeLosses;
    private readonly Counter<long> _keysLost;
    private Func<IEnumerable<(string Cluster, string Node, long Keys)>> _nodeKeys = () => [];
    private readonly ConcurrentDictionary<string, (long Epoch, long KeysLeft)> _clusters = new(StringComparer.Ordinal);
    private volatile bool _leader;

    /// <param name="meterFactory">The host's factory, scoping the meter to this operator (tests run two in one process); null for an unscoped meter.</param>
    public OperatorMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _reconciles = _meter.CreateCounter<long>("kvcache.operator.reconciles", "{reconcile}", "Reconciles by result: success, requeue (a rebalance in progress) or error.");
        _duration = _meter.CreateHistogram<double>("kvcache.operator.reconcile.duration", "s", "Time one reconcile of a KvCluster took.");
        _meter.CreateObservableGauge("kvcache.operator.ring_epoch", () => Observe(c => c.Epoch), "{epoch}", "Epoch of the ring published for each KvCluster.");
        _meter.CreateObservableGauge("kvcache.operator.rebalance.keys_left", () => Observe(c => c.KeysLeft), "{key}", "Keys the nodes still have to hand off in the rebalance in progress (0 when none).");
        _nodeLosses = _meter.CreateCounter<long>("kvcache.operator.node_losses", "{node}", "Node containers that restarted on their own (kill -9, OOM, a failed liveness probe) and lost their keys, by reason.");
        _keysLost = _meter.CreateCounter<long>("kvcache.operator.keys_lost", "{key}", "Keys the crashed nodes held at their last poll, lost with them.");
        _meter.CreateObservableGauge("kvcache.operator.node.keys", ObserveNodeKeys, "{key}", "Keys each node held at the operator's last poll (--node-poll-interval).");
        _meter.CreateObservableGauge("kvcache.operator.leader", () => _leader ? 1 : 0, "", "1 while this replica holds the leader Lease and reconciles, else 0.");
    }

    public void Reconciled(string result, TimeSpan duration)
    {
        _reconciles.Add(1, new KeyValuePair<string, object?>("result", result));
        _duration.Record(duration.TotalSeconds);
    }

    /// <summary>Records a KvCluster's ring epoch and keys left to hand off.</summary>
    public void Ring(string cluster, long epoch, long keysLeft) => _clusters[cluster] = (epoch, keysLeft);

    /// <summary>Counts a node of <paramref name="cluster"/> lost to a crash for <paramref name="reason"/>, with the keys it held (0 when unknown).</summary>
    public void NodeLost(string cluster, string reason, long keys)
    {
        _nodeLosses.Add(1, new KeyValuePair<string, object?>("kvcluster", cluster), new KeyValuePair<string, object?>("reason", reason));
        _keysLost.Add(keys, new KeyValuePair<string, object?>("kvcluster", cluster));
    }

    /// <summary>Where kvcache_operator_node_keys reads each node's last polled key count from.</summary>
    public void ObserveNodeKeys(Func<IEnumerable<(string Cluster, string Node, long Keys)>> counts) => _nodeKeys = counts;

    /// <summary>Drops the series of a KvCluster that no longer exists.</summary>
    public void Forget(string cluster) => _clusters.TryRemove(cluster, out _);

    public void Leading(bool leading) => _leader = leading;

    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<long>> ObserveNodeKeys() =>
        _nodeKeys().Select(n => new Measurement<long>(n.Keys, new KeyValuePair<string, object?>("kvcluster", n.Cluster), new KeyValuePair<string, object?>("node", n.Node)));

    private IEnumerable<Measurement<long>> Observe(Func<(long Epoch, long KeysLeft), long> value)
    {
        foreach ((string cluster, (long Epoch, long KeysLeft) figures) in _clusters)
        {
            yield return new Measurement<long>(value(figures), new KeyValuePair<string, object?>("kvcluster", cluster));
        }
    }
}
