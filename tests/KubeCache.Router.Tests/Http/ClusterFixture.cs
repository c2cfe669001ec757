using KubeCache.Testing;

namespace KubeCache.Router.Tests.Http;

/// <summary>A router in front of three nodes, shared by the tests that only add their own keys.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private RouterCluster? _cluster;

    public RouterCluster Cluster => _cluster ?? throw new InvalidOperationException("The fixture is not initialised.");

    /// <summary>Small limits, so tests can exceed them cheaply: 64 KiB bodies at the router, 1 KiB values at the nodes.</summary>
    public async Task InitializeAsync() =>
        _cluster = await RouterCluster.StartAsync(3, configure: o => o.MaxBodyBytes = 64 * 1024, configureNode: o => o.MaxValueBytes = 1024);

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SharedClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "Router HTTP shared cluster";
}
