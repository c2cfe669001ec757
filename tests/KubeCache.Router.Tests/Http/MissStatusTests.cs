using System.Net;

using KubeCache.Testing;

namespace KubeCache.Router.Tests.Http;

/// <summary>--miss-status 200 answers a miss with 200 and the same body, as some reference servers do.</summary>
public sealed class MissStatusTests
{
    [Fact]
    public async Task GetAndDelete_MissWithMissStatus200_200MissBody()
    {
        await using RouterCluster cluster = await RouterCluster.StartAsync(1, configure: o => o.MissStatus = 200);

        (await cluster.GetKeyAsync("absent")).Is(HttpStatusCode.OK, Reply.Miss);
        (await cluster.SendAsync(HttpMethod.Delete, "/delete?key=absent")).Is(HttpStatusCode.OK, Reply.Miss);
    }
}
