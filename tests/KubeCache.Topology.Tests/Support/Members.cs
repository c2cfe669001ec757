namespace KubeCache.Topology.Tests.Support;

internal static class Members
{
    /// <summary>A StatefulSet-like member "demo-i" with pod-like addresses.</summary>
    public static RingMember Node(int index, int addressGeneration = 0) =>
        new($"demo-{index}", $"10.{addressGeneration}.0.{index}:7171", $"10.{addressGeneration}.0.{index}:6379");

    /// <summary>Members demo-0 … demo-(count−1).</summary>
    public static RingMember[] Nodes(int count, int addressGeneration = 0) =>
        [.. Enumerable.Range(0, count).Select(i => Node(i, addressGeneration))];

    public static RingMember[] Nodes(params int[] indexes) => [.. indexes.Select(i => Node(i))];
}
