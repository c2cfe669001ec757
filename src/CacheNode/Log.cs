namespace KubeCache.CacheNode;

/// <summary>The node's log messages, source-generated, with stable event ids.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Node listening: HTTP {Http}, RESP {Resp}; {CapacityBytes} bytes in {Shards} shards; the GC may use {HeapLimitBytes} bytes")]
    public static partial void Listening(ILogger logger, string http, string resp, long capacityBytes, int shards, long heapLimitBytes);

    [LoggerMessage(3, LogLevel.Warning, "Memory pressure: evicted {Entries} entries down to the low-water mark")]
    public static partial void PressureEviction(ILogger logger, int entries);

    [LoggerMessage(16, LogLevel.Warning, "preStop: gave up waiting for the handoff of epoch {Epoch} after {Seconds} s; {Keys} keys left")]
    public static partial void PrestopTimedOut(ILogger logger, long epoch, double seconds, long keys);

    [LoggerMessage(44, LogLevel.Warning, "preStop: {Problem}")]
    public static partial void PrestopStillMember(ILogger logger, string problem);

    [LoggerMessage(11, LogLevel.Information, "Ring epoch {Epoch}: handing off {Keys} keys to their new owners")]
    public static partial void HandoffStarted(ILogger logger, long epoch, long keys);

    [LoggerMessage(12, LogLevel.Information, "Ring epoch {Epoch}: handoff done, {Keys} keys sent, {Dropped} dropped because their new owner had no room")]
    public static partial void HandoffDone(ILogger logger, long epoch, long keys, long dropped);

    [LoggerMessage(19, LogLevel.Information, "Ring epoch {Epoch}: handoff ended by the finish of its epoch, {Keys} keys sent; the keys not moved were given up")]
    public static partial void HandoffEnded(ILogger logger, long epoch, long keys);

    [LoggerMessage(13, LogLevel.Information, "Ring epoch {Epoch}: handoff to {Node} goes through again after {Failures} failed attempts")]
    public static partial void HandoffRecovered(ILogger logger, long epoch, string node, long failures);

    [LoggerMessage(14, LogLevel.Warning, "Ring epoch {Epoch}: handoff failing, retrying with growing pauses: {Problem}")]
    public static partial void HandoffRetrying(ILogger logger, long epoch, string problem);

    [LoggerMessage(40, LogLevel.Information, "Ring epoch {Epoch} (rebalancing: {Rebalancing}) taken from a peer that was further along")]
    public static partial void RingFromPeer(ILogger logger, long epoch, bool rebalancing);

    [LoggerMessage(41, LogLevel.Warning, "Taking a key from its previous owner {Node} at {Address} failed: {Problem}")]
    public static partial void PullFailed(ILogger logger, string node, string address, string problem);

    [LoggerMessage(42, LogLevel.Warning, "Ring epoch {Epoch}: could not tell {Node} at {Address} that the handoff is done; it keeps asking while this node runs: {Problem}")]
    public static partial void DoneNotAnnounced(ILogger logger, long epoch, string node, string address, string problem);

    [LoggerMessage(43, LogLevel.Warning, "Ring epoch {Epoch}: deleted {Keys} keys that belong to other members and that no handoff moved (a rebalance finished at its deadline)")]
    public static partial void LeftBehindDropped(ILogger logger, long epoch, long keys);
}
