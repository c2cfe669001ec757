namespace KubeCache.Topology;

/// <summary>The membership a rebalance moves keys away from.</summary>
/// <param name="Epoch">The epoch the members were published under; below the document's epoch.</param>
/// <param name="Members">The members that held keys before the rebalance started.</param>
/// <param name="StartedAtUnixMs">When the rebalance started, in milliseconds since the Unix epoch (UTC).</param>
public sealed record RingGeneration(long Epoch, IReadOnlyList<RingMember> Members, long StartedAtUnixMs);
