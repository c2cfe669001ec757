namespace KubeCache.Consistency.Tests;

/// <summary>Tests that start node and router processes: one class at a time, so two cores are not shared by twenty processes.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessCollection
{
    public const string Name = "Node and router processes";
}
