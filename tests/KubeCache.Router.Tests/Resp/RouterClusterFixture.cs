using KubeCache.Testing;

namespace KubeCache.Router.Tests.Resp;

/// <summary>A router in front of three nodes, shared by the tests of one collection.</summary>
/// <remarks>The nodes are not fenced (<see cref="RouterCluster.StartAsync"/>): tests read every node's copy of a key directly.</remarks>
public sealed class RouterClusterFixture : IAsyncLifetime
{
    private RouterCluster? _cluster;

    public RouterCluster Cluster => _cluster ?? throw new InvalidOperationException("The fixture is not initialised.");

    public async Task InitializeAsync() => _cluster = await RouterCluster.StartAsync(3, fenced: false);

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}

/// <summary>Tests that share one router and its three nodes; FLUSHALL and DBSIZE need them not to run at once.</summary>
[CollectionDefinition(Name)]
public sealed class SharedRouterCollection : ICollectionFixture<RouterClusterFixture>
{
    public const string Name = "Router RESP shared cluster";
}
