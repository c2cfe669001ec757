using KubeCache.Testing;

namespace KubeCache.Router.Tests.Resp;

/// <summary>
/// Pipelines keep Redis's order per key although the router spreads requests for one node over
/// several upstream connections, and a pipeline longer than the in-flight limit is served whole.
/// </summary>
[Collection(SharedRouterCollection.Name)]
public sealed class PipelineOrderTests(RouterClusterFixture fixture)
{
    private RouterCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task Pipeline_WritesAndReadsOfOneKey_RunInRequestOrder()
    {
        await using RespTestClient client = await Cluster.ConnectAsync();
        string counter = Keys.Unique("order-counter"), value = Keys.Unique("order-value");
        for (int i = 1; i <= 100; i++)
        {
            client.Queue("INCR", counter);
            client.Queue("SET", value, $"v{i}");
            client.Queue("MGET", value, counter);
        }

        await client.FlushAsync();

        for (int i = 1; i <= 100; i++)
        {
            RespReply.Integer(i, await client.ReadAsync());
            RespReply.Ok(await client.ReadAsync());
            RespReply.Items(await client.ReadAsync(), $"v{i}", $"{i}");
        }
    }

    [Fact]
    public async Task Pipeline_MoreCommandsThanTheInFlightLimit_AllAnsweredInOrder()
    {
        await using RespTestClient client = await Cluster.ConnectAsync();
        string prefix = Keys.Unique("long");
        for (int i = 0; i < 3000; i++)
        {
            client.Queue("SET", $"{prefix}:{i}", $"{i}");
        }

        client.Queue("DBSIZE");
        for (int i = 0; i < 3000; i++)
        {
            client.Queue("GET", $"{prefix}:{i}");
        }

        await client.FlushAsync();

        for (int i = 0; i < 3000; i++)
        {
            RespReply.Ok(await client.ReadAsync());
        }

        Assert.True((await client.ReadAsync()).AsInt64() >= 3000);
        for (int i = 0; i < 3000; i++)
        {
            RespReply.Bulk($"{i}", await client.ReadAsync());
        }
    }
}
