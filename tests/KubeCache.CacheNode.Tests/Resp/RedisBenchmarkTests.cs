using System.Text.RegularExpressions;
using KubeCache.CacheNode.Tests.Resp.Support;
using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Resp;

/// <summary>
/// redis-benchmark, unmodified, completes against the node. Throughput is not asserted here
/// (benchmarks measure it); only that every request got a valid reply.
/// </summary>
[Collection(SharedNodeCollection.Name)]
public sealed partial class RedisBenchmarkTests(NodeFixture fixture)
{
    [Theory]
    [InlineData("1")]
    [InlineData("16")]
    public async Task RedisBenchmark_GetSet_CompletesWithoutErrors(string pipeline)
    {
        ProcessOutput output = await RedisTools.BenchmarkAsync(
            fixture.Resp, "-t", "get,set", "-n", "2000", "-c", "10", "-P", pipeline, "-q");

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
