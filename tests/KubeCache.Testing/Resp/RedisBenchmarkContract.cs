using System.Net;
using System.Text.RegularExpressions;

namespace KubeCache.Testing;

/// <summary>
/// redis-benchmark, unmodified, completes against every front that speaks RESP: a node's test
/// project and a router's each run it through a subclass that names its server. Throughput is not
/// asserted here (benchmarks measure it); only that every request got a valid reply.
/// </summary>
public abstract partial class RedisBenchmarkContract
{
    /// <summary>The RESP endpoint of the front under test.</summary>
    protected abstract IPEndPoint Resp { get; }

    [Theory]
    [InlineData("1")]
    [InlineData("16")]
    public async Task RedisBenchmark_GetSet_CompletesWithoutErrors(string pipeline)
    {
        ProcessOutput output = await RedisTools.BenchmarkAsync(
            Resp, "-t", "get,set", "-n", "2000", "-c", "10", "-P", pipeline, "-q");

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
