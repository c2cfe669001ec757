namespace KubeCache.Topology;

/// <summary>The ring epoch a router has applied, as it reports at <c>GET /ring/epoch</c>.</summary>
/// <param name="Name">The router (its pod name, or <c>local</c> in local mode).</param>
/// <param name="Epoch">The epoch of the ring it routes by; null when it cannot be reached or knows no ring yet.</param>
public sealed record RouterEpoch(string Name, long? Epoch);
