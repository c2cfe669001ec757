namespace KubeCache.Topology;

/// <summary>Where a node is in handing off the keys it no longer owns.</summary>
public enum HandoffState
{
    /// <summary>Nothing to hand off: the node has not seen a rebalance, or owns all it holds.</summary>
    Idle,

    /// <summary>Sending keys to their new owners.</summary>
    Streaming,

    /// <summary>Every key the node no longer owns has been sent and dropped.</summary>
    Done,

    /// <summary>The handoff stopped on an error; the node may retry it.</summary>
    Failed,
}
