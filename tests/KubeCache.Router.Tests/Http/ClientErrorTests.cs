using System.Net;

using KubeCache.Testing;

namespace KubeCache.Router.Tests.Http;

/// <summary>Client mistakes get the node's 4xx answers from the router, never a 500; the cases every front shares are <see cref="KeyApiContract"/>'s.</summary>
[Collection(SharedClusterCollection.Name)]
public sealed class ClientErrorTests(ClusterFixture fixture)
{
    private readonly RouterCluster _cluster = fixture.Cluster;

    [Fact]
    public async Task Put_BodyOverMaxBodyBytes_413()
    {
        string body = $$"""{"key":"big","value":"{{new string('x', 70 * 1024)}}"}""";

        (await _cluster.PostAsync("/put", body)).IsError(HttpStatusCode.RequestEntityTooLarge, "larger than 65536 bytes (--max-body-bytes)");
    }

    [Fact]
    public async Task Put_ValueOverTheNodesLimit_400WithTheNodesMessage()
    {
        string key = $"too-big:{Guid.NewGuid():N}";

        Reply reply = await _cluster.PutAsync(key, new string('x', 2000));

        Assert.Equal("value is 2000 bytes, over the limit of 1024 (--max-value-bytes).", reply.IsError(HttpStatusCode.BadRequest));
        Assert.Null(_cluster.Stored(_cluster.OwnerOf(key), key));
    }

    [Fact]
    public async Task BatchSet_ValueOverTheNodesLimit_400WithTheNodesMessage()
    {
        string body = $$"""[{"key":"ok:{{Guid.NewGuid():N}}","value":"v"},{"key":"big:{{Guid.NewGuid():N}}","value":"{{new string('x', 1500)}}"}]""";

        (await _cluster.PostAsync("/batch_set", body)).IsError(HttpStatusCode.BadRequest, "value is 1500 bytes, over the limit of 1024 (--max-value-bytes).");
    }
}
