using System.Net;

using KubeCache.Testing;

namespace KubeCache.Router.Tests.Http;

/// <summary>The key API's contract (<see cref="KeyApiContract"/>) held against a router, and where the router puts what it is given.</summary>
[Collection(SharedClusterCollection.Name)]
public sealed class KeyApiContractTests(ClusterFixture fixture) : KeyApiContract
{
    private readonly RouterCluster _cluster = fixture.Cluster;

    protected override KeyApiClient Api => _cluster;

    [Theory]
    [MemberData(nameof(Values), MemberType = typeof(KeyApiContract))]
    public async Task Put_ValueNeedingEscapes_StoredExactlyOnTheOwner(string value)
    {
        string key = Guid.NewGuid().ToString();

        (await _cluster.PutAsync(key, value)).Is(HttpStatusCode.OK, Reply.PutOk);

        Assert.Equal(value, _cluster.Stored(_cluster.OwnerOf(key), key));
    }
}
