namespace KubeCache.Topology;

/// <summary>A node's handoff progress, as it reports at <c>GET /cluster/handoff</c>.</summary>
/// <param name="Epoch">The ring epoch the node is handing off for.</param>
/// <param name="State">Where the handoff is.</param>
/// <param name="KeysSent">Keys sent to their new owners so far for <paramref name="Epoch"/>.</param>
/// <param name="KeysLeft">Keys the node still holds but no longer owns.</param>
/// <param name="KeysDropped">Keys their new owner had no room for, dropped and lost, for <paramref name="Epoch"/>.</param>
/// <param name="LastError">Why the last attempt to send failed while <paramref name="State"/> is Retrying; null otherwise.</param>
public sealed record HandoffStatus(long Epoch, HandoffState State, long KeysSent, long KeysLeft, long KeysDropped = 0, string? LastError = null);
