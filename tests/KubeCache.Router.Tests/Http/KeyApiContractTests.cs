using KubeCache.Testing;

namespace KubeCache.Router.Tests.Http;

/// <summary>The key API's contract (<see cref="KeyApiContract"/>) held against a router.</summary>
[Collection(SharedClusterCollection.Name)]
public sealed class KeyApiContractTests(ClusterFixture fixture) : KeyApiContract
{
    protected override KeyApiClient Api => fixture.Cluster;
}
