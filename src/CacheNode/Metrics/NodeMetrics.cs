using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using KubeCache.CacheNode.Cluster;
using KubeCache.CacheNode.Storage;
using KubeCache.Topology;

namespace KubeCache.CacheNode.Metrics;

/// <summary>
/// The node's instruments, all on the <see cref="MeterName"/> meter. Request counts are kept in
/// per-command <see cref="RequestSeries"/> objects that handlers resolve once, so the hot path is
/// an increment and a histogram record; store figures are read from the store at scrape time.
/// </summary>
public sealed class NodeMetrics : IDisposable
{
    public const string MeterName = "KubeCache.CacheNode";

    private readonly Meter _meter;
    private readonly ConcurrentDictionary<(string Protocol, string Command), RequestSeries> _series = new();
    private readonly Histogram<double> _duration;
    private long _httpConnections;
    private long _respConnections;

    /// <param name="store">The store whose figures are observed.</param>
    /// <param name="meterFactory">
    /// The host's factory, which scopes the meter to this node so its exporter ignores other nodes
    /// in the process; null creates an unscoped meter.
    /// </param>
    /// <param name="handoff">The handoff whose figures are observed; null when none runs (nothing is reported).</param>
    public NodeMetrics(CacheStore store, IMeterFactory? meterFactory = null, HandoffProgress? handoff = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _duration = _meter.CreateHistogram<double>(
            "kvcache.request.duration", "s", "Time from a request's arrival to its reply being queued, by protocol and command.");
        _meter.CreateObservableCounter("kvcache.requests", ObserveRequests, "{request}", "Requests by protocol, command and result.");
        _meter.CreateObservableCounter("kvcache.cache.hits", () => store.GetStats().Hits, "{hit}", "Reads that found their key.");
        _meter.CreateObservableCounter("kvcache.cache.misses", () => store.GetStats().Misses, "{miss}", "Reads that did not find their key.");
        _meter.CreateObservableCounter("kvcache.cache.evictions", () => ObserveEvictions(store.GetStats()), "{entry}", "Entries evicted before expiry or deletion, by reason.");
        _meter.CreateObservableCounter("kvcache.cache.expirations", () => store.GetStats().Expirations, "{entry}", "Entries removed because their TTL passed.");
        _meter.CreateObservableGauge("kvcache.cache.items", () => store.GetStats().Items, "{entry}", "Entries held.");
        _meter.CreateObservableGauge("kvcache.memory.used", () => store.GetStats().UsedBytes, "By", "Bytes charged to entries: keys, values and per-entry overhead.");
        _meter.CreateObservableGauge("kvcache.memory.limit", () => store.Options.CapacityBytes, "By", "The byte budget (--max-memory).");
        _meter.CreateObservableGauge("kvcache.memory.pages", () => store.GetStats().ArenaBytes, "By", "Bytes of the record pages, segmented hashes and chunked strings holding keys and values, garbage awaiting compaction included.");
        _meter.CreateObservableCounter("kvcache.memory.compactions", () => store.GetStats().Compactions, "{page}", "Record pages compacted to reclaim garbage left by overwrites and deletes.");
        _meter.CreateObservableCounter("kvcache.memory.reclaims", () => store.Reclaimer.Collections, "{collection}", "Full collections the store asked the GC for to return dropped record pages (see --memory-headroom).");
        _meter.CreateObservableGauge("kvcache.memory.heap.committed", () => GC.GetGCMemoryInfo().TotalCommittedBytes, "By", "Bytes the GC heap held committed at its last collection.");
        _meter.CreateObservableGauge("kvcache.memory.heap.limit", () => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes, "By", "The most the GC heap may commit: in a container, its limit less --memory-reserve.");
        _meter.CreateObservableUpDownCounter("kvcache.connections", ObserveConnections, "{connection}", "Open client connections by protocol.");
        if (handoff is not null)
        {
            ObserveHandoff(handoff);
        }
    }

    /// <summary>The counters of one protocol's command; resolve once and keep it.</summary>
    public RequestSeries Series(string protocol, string command) =>
        _series.GetOrAdd((protocol, command), key => new RequestSeries(key.Protocol, key.Command, _duration));

    public void ConnectionOpened(bool resp) => Interlocked.Increment(ref resp ? ref _respConnections : ref _httpConnections);

    public void ConnectionClosed(bool resp) => Interlocked.Decrement(ref resp ? ref _respConnections : ref _httpConnections);

    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<long>> ObserveRequests()
    {
        foreach (RequestSeries series in _series.Values)
        {
            foreach (Measurement<long> measurement in series.Observe())
            {
                yield return measurement;
            }
        }
    }

    private static IEnumerable<Measurement<long>> ObserveEvictions(StoreStats stats) =>
    [
        new(stats.CapacityEvictions, new KeyValuePair<string, object?>("reason", "capacity")),
        new(stats.PressureEvictions, new KeyValuePair<string, object?>("reason", "memory_pressure")),
    ];

    private void ObserveHandoff(HandoffProgress handoff)
    {
        _meter.CreateObservableCounter("kvcache.handoff.keys.sent", () => handoff.TotalSent, "{key}", "Keys handed to their new owners.");
        _meter.CreateObservableCounter("kvcache.handoff.keys.dropped", () => handoff.TotalDropped, "{key}", "Keys whose new owner had no room for them, dropped and lost.");
        _meter.CreateObservableCounter("kvcache.handoff.failures", () => handoff.Failures, "{attempt}", "Attempts to reach a new owner that failed (refused, timed out, AUTH or TLS refused) and were retried.");
        _meter.CreateObservableGauge("kvcache.handoff.keys.left", () => handoff.KeysLeft, "{key}", "Keys still to hand off for the current epoch.");
        _meter.CreateObservableGauge("kvcache.handoff.retrying", () => handoff.State == HandoffState.Retrying ? 1 : 0, "{state}", "1 while the handoff is retrying after a failure (see lastError at /cluster/handoff), else 0.");
    }

    private IEnumerable<Measurement<long>> ObserveConnections() =>
    [
        new(Volatile.Read(ref _httpConnections), new KeyValuePair<string, object?>("protocol", "http")),
        new(Volatile.Read(ref _respConnections), new KeyValuePair<string, object?>("protocol", "resp")),
    ];
}

/// <summary>Counters and latency of one command on one protocol.</summary>
public sealed class RequestSeries
{
    private readonly Histogram<double> _duration;
    private readonly KeyValuePair<string, object?>[] _tags;
    private long _ok;
    private long _errors;

    internal RequestSeries(string protocol, string command, Histogram<double> duration)
    {
        _duration = duration;
        _tags = [new("protocol", protocol), new("command", command)];
    }

    /// <summary>
    /// Counts one request that started at <paramref name="startTimestamp"/> (<see cref="Stopwatch.GetTimestamp"/>)
    /// and returns the timestamp it ended at, which a pipeline uses as the next command's start.
    /// </summary>
    public long Record(bool ok, long startTimestamp)
    {
        long end = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref ok ? ref _ok : ref _errors);
        _duration.Record(Stopwatch.GetElapsedTime(startTimestamp, end).TotalSeconds, _tags);
        return end;
    }

    internal IEnumerable<Measurement<long>> Observe() =>
    [
        new(Volatile.Read(ref _ok), [_tags[0], _tags[1], new("result", "ok")]),
        new(Volatile.Read(ref _errors), [_tags[0], _tags[1], new("result", "error")]),
    ];
}
