using KubeCache.Consistency.Tests.History;

namespace KubeCache.Consistency.Tests;

/// <summary>
/// Tests that use the node and router processes: one at a time, on one shared cluster, so two
/// cores are not shared by twenty processes. Each test starts from empty stores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessCollection : ICollectionFixture<HistoryClusterFixture>
{
    public const string Name = "Node and router processes";
}

/// <summary>Five nodes and three routers, each on its own ring file (the first ring: node-0…node-2).</summary>
public sealed class HistoryClusterFixture : IAsyncLifetime
{
    public ProcessCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var settings = new HistorySettings();
        Cluster = await ProcessCluster.StartAsync(settings.Nodes, settings.Routers, nodes => ProcessCluster.Document(1, nodes.Take(settings.FirstRingMembers)));
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
