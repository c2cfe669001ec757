using System.Text.RegularExpressions;
using KubeCache.Router.Tests.Resp.Support;
using KubeCache.Testing;

namespace KubeCache.Router.Tests.Resp;

/// <summary>redis-cli and redis-benchmark, unmodified, through the router. Throughput is measured by benchmarks, not here.</summary>
[Collection(SharedRouterCollection.Name)]
public sealed partial class RedisToolsTests(RouterClusterFixture fixture)
{
    private RouterCluster Cluster => fixture.Cluster;

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

    [Theory]
    [InlineData("1")]
    [InlineData("16")]
    public async Task RedisBenchmark_GetSet_CompletesWithoutErrors(string pipeline)
    {
        ProcessOutput output = await RedisTools.BenchmarkAsync(
            Cluster.Resp, "-t", "get,set", "-n", "2000", "-c", "10", "-P", pipeline, "-q");

        Assert.True(output.ExitCode == 0, output.ToString());
        Assert.Matches(RequestsPerSecond("SET"), output.StandardOutput);
        Assert.Matches(RequestsPerSecond("GET"), output.StandardOutput);
        Assert.DoesNotMatch(ErrorLine(), output.All);
    }

    private static Regex RequestsPerSecond(string test) =>
        new($@"(^|\r|\n){test}: [0-9.]+ requests per second", RegexOptions.CultureInvariant);

    [GeneratedRegex(@"(?im)^.*(error|err |unexpected|connection reset|refused).*$")]
    private static partial Regex ErrorLine();
}
