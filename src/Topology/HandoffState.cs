namespace KubeCache.Topology;

/// <summary>Where a node is in handing off the keys it no longer owns.</summary>
public enum HandoffState
{
    /// <summary>Nothing to hand off: the node has not seen a rebalance, or owns all it holds.</summary>
    Idle,

    /// <summary>Sending keys to their new owners.</summary>
    Streaming,

    /// <summary>
    /// Sending to a new owner failed (refused, timed out, AUTH or TLS refused); the node retries
    /// with growing pauses and reports the error until an attempt goes through.
    /// </summary>
    Retrying,

    /// <summary>Every key the node no longer owns has been sent (or dropped, when its new owner had no room for it).</summary>
    Done,
}
