using System.Net;
using KubeCache.Testing;
using KubeCache.Topology;
using KubeCache.Topology.Json;

namespace KubeCache.Router.Tests.Http;

/// <summary>GET /ring/epoch: the epoch a router routes by, which rebalance coordinators wait on.</summary>
public sealed class RingEpochTests
{
    [Fact]
    public async Task RingEpoch_DuringRebalance_ReportsTheEpochApplied()
    {
        await using RouterCluster cluster = await RouterCluster.StartAsync(3, ring: members => RouterCluster.Document(1, [.. members.Take(2)]));
        IReadOnlyList<RingMember> before = cluster.Members.Take(2).ToList();
        await cluster.PublishAsync(RouterCluster.Document(2, cluster.Members, new RingGeneration(1, before, 0)));

        Reply reply = await cluster.GetAsync("/ring/epoch");

        reply.Is(HttpStatusCode.OK, """{"status":"OK","epoch":2,"rebalancing":true}""");
        Assert.Equal(2, RouterEpochJson.TryParse(System.Text.Encoding.UTF8.GetBytes(reply.Body)));
    }
}
