using System.Net;

using KubeCache.Testing;

namespace KubeCache.Router.Tests.Http;

/// <summary>Many clients at once through one router: every put is read back by its writer.</summary>
[Collection(SharedClusterCollection.Name)]
public sealed class ConcurrencyTests(ClusterFixture fixture)
{
    private readonly RouterCluster _cluster = fixture.Cluster;

    [Fact]
    public async Task PutGet_8ParallelClients200PairsEach_EveryReadSeesItsWrite()
    {
        string run = Guid.NewGuid().ToString("N");

        await Task.WhenAll(Enumerable.Range(0, 8).Select(client => Task.Run(async () =>
        {
            for (int i = 0; i < 200; i++)
            {
                string key = $"{run}:{client}:{i}";
                (await _cluster.PutAsync(key, $"value {client} {i}")).Is(HttpStatusCode.OK, Reply.PutOk);
                Assert.Equal($"value {client} {i}", await _cluster.GetValueAsync(key));
            }
        })));

        int stored = Enumerable.Range(0, 8).Sum(c => Enumerable.Range(0, 200).Count(i => _cluster.Stored(_cluster.OwnerOf($"{run}:{c}:{i}"), $"{run}:{c}:{i}") is not null));
        Assert.Equal(1600, stored);
    }
}
