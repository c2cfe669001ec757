namespace KubeCache.Topology;

/// <summary>One cache node in the ring.</summary>
/// <param name="Name">
/// The stable identity (the StatefulSet pod name, for example "demo-0"). Ownership of keys is a
/// function of names only.
/// </param>
/// <param name="Http">The node's HTTP endpoint as "host:port" (port 7171 by default).</param>
/// <param name="Resp">The node's RESP endpoint as "host:port" (port 6379 by default).</param>
public sealed record RingMember(string Name, string Http, string Resp);
