using KubeCache.EndToEnd.Tests.Support;
using KubeCache.Testing;
using KubeCache.Testing.Load;
using Xunit.Abstractions;

namespace KubeCache.EndToEnd.Tests.Reliability;

/// <summary>
/// Real processes under sustained load (25 s each here; <c>bench/soak.sh</c> runs the same tests
/// for 10 minutes with ring changes and node restarts): the assignment's reference profile over
/// HTTP (50 users, no wait, 10,000 UUID keys, 256-character values, half /put and half /get) and
/// a pipelined RESP mix, against a node and against a local-mode router with 3 nodes. Each fails
/// on any process exit, any failed request, and resident memory that keeps growing.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class SoakTests(ITestOutputHelper output) : IDisposable
{
    private const int Users = 50;
    private const int RespConnections = 8;
    private const int RespDepth = 16;
    private static readonly LoadProfile Profile = LoadProfile.Create();
    private readonly string _logs = Directory.CreateTempSubdirectory("kubecache-soak-").FullName;

    [Fact]
    public async Task Node_ReferenceHttpProfile_NoExitNoErrorNoGrowth()
    {
        await using ServerProcess node = await Servers.StartNodeAsync(_logs);
        await SoakAsync("node, HTTP profile", node, (tally, stop) => HttpLoad.RunAsync(node.HttpUri, Profile, Users, tally, stop), churn: false);
    }

    [Fact]
    public async Task Node_PipelinedRespMix_NoExitNoErrorNoGrowth()
    {
        await using ServerProcess node = await Servers.StartNodeAsync(_logs);
        await SoakAsync("node, RESP mix", node, (tally, stop) => RespLoad.RunAsync(node.RespEndPoint, Profile, RespConnections, RespDepth, tally, stop), churn: false);
    }

    [Fact]
    public async Task LocalRouter_ReferenceHttpProfile_NoExitNoErrorNoGrowth()
    {
        await using ServerProcess router = await Servers.StartLocalRouterAsync(_logs);
        await SoakAsync("local router, HTTP profile", router, (tally, stop) => HttpLoad.RunAsync(router.HttpUri, Profile, Users, tally, stop), SoakRun.Churn);
    }

    [Fact]
    public async Task LocalRouter_PipelinedRespMix_NoExitNoErrorNoGrowth()
    {
        await using ServerProcess router = await Servers.StartLocalRouterAsync(_logs);
        await SoakAsync("local router, RESP mix", router, (tally, stop) => RespLoad.RunAsync(router.RespEndPoint, Profile, RespConnections, RespDepth, tally, stop), SoakRun.Churn);
    }

    public void Dispose() => Directory.Delete(_logs, recursive: true);

    private async Task SoakAsync(string name, ServerProcess server, Func<LoadTally, CancellationToken, Task> load, bool churn)
    {
        SoakResult result = await SoakRun.RunAsync(name, server, load, churn);
        output.WriteLine(result.ToString());
        SoakRun.AssertHealthy(result, server);
    }
}
