namespace KubeCache.Local;

/// <summary>How a membership change of the local cluster ended; the admin API maps each to an HTTP status.</summary>
public enum LocalChangeStatus
{
    /// <summary>The change is done: the node runs and the rebalance finished.</summary>
    Done,

    /// <summary>Another change is running; one runs at a time.</summary>
    Busy,

    /// <summary>No node has that name.</summary>
    UnknownNode,

    /// <summary>The change would leave no node to own keys.</summary>
    LastNode,

    /// <summary>A restart was asked for a node whose process still runs.</summary>
    StillRunning,

    /// <summary>A node did not start, or the rebalance failed; the message says which and why.</summary>
    Failed,
}

/// <summary>The outcome of a membership change: its status, the node it concerned and, unless done, why not.</summary>
public sealed record LocalChange(LocalChangeStatus Status, LocalNode? Node, string? Message = null);
