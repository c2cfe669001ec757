using System.Net;
using KubeCache.Testing;

namespace KubeCache.Router.Tests.Resp;

/// <summary>redis-cli and redis-benchmark (<see cref="RedisBenchmarkContract"/>), unmodified, through the router.</summary>
[Collection(SharedRouterCollection.Name)]
public sealed class RedisToolsTests(RouterClusterFixture fixture) : RedisBenchmarkContract
{
    private RouterCluster Cluster => fixture.Cluster;

    protected override IPEndPoint Resp => Cluster.Resp;

    [Fact]
    public async Task RedisCli_SetGetPing_ThroughRouter()
    {
        string key = Keys.Unique("cli");

        ProcessOutput set = await RedisTools.CliAsync(Cluster.Resp, "set", key, "from-redis-cli");
        ProcessOutput get = await RedisTools.CliAsync(Cluster.Resp, "get", key);
        ProcessOutput ping = await RedisTools.CliAsync(Cluster.Resp, "ping");

        Assert.Equal("OK", set.StandardOutput.Trim());
        Assert.Equal("from-redis-cli", get.StandardOutput.Trim());
        Assert.Equal("PONG", ping.StandardOutput.Trim());
    }
}
