using System.Diagnostics;
using KubeCache.Local;
using KubeCache.Protocol;
using KubeCache.Router.Tests.Local;
using KubeCache.Testing;
using Xunit.Abstractions;

namespace KubeCache.Router.Tests.Faults;

/// <summary>
/// A node that stops answering but keeps its sockets open (<c>kill -STOP</c>): callers must get
/// errors within the upstream timeout, never hang, and the router must use the node again once it
/// continues. Bound: 3,000 keys, 20 probes of the stopped node, at most about a minute.
/// </summary>
[Collection(LocalClusterCollection.Name)]
public sealed class NodeStopTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(10);

    // The router's --upstream-timeout (1 s) plus room for a loaded two-core machine.
    private static readonly TimeSpan ErrorBound = TimeSpan.FromSeconds(2.5);

    [Fact]
    public async Task KillStop_OneNode_ItsKeysFailWithinTheTimeoutOthersServeAndContinueServesAgain()
    {
        await using LocalRouter router = await LocalRouter.StartAsync(nodes: 3);
        await using RespPipeline client = await RespPipeline.ConnectAsync(router.RespEndPoint);
        string[] keys = [.. Enumerable.Range(0, 3_000).Select(i => $"stop:{i}")];
        RespValue[] sets = await client.SendAsync([.. keys.Select(k => new[] { "SET", k, "v" })], ReplyTimeout);
        Assert.All(sets, r => Assert.Equal("OK", r.AsString()));

        LocalNode victim = router.Cluster.Nodes[1];
        int pid = victim.ProcessId!.Value;
        string[] victimKeys = [.. keys.Where(k => FaultKeys.Owner(router, k) == victim.Name)];
        string[] otherKeys = [.. keys.Where(k => FaultKeys.Owner(router, k) != victim.Name)];
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Task<int> othersLoad = FaultKeys.ReadUntilAsync(router, otherKeys, "v", stop.Token);

        await Signals.StopAsync(pid);
        try
        {
            TimeSpan slowest = TimeSpan.Zero;
            for (int i = 0; i < 20; i++)
            {
                var timer = Stopwatch.StartNew();
                RespValue reply = (await client.SendAsync([["GET", victimKeys[i]]], ReplyTimeout))[0];
                slowest = timer.Elapsed > slowest ? timer.Elapsed : slowest;
                Assert.True(reply.IsError, $"GET {victimKeys[i]} answered {reply.AsString()} with its node stopped");
                Assert.Contains(victim.Name, reply.AsString(), StringComparison.Ordinal);
            }

            output.WriteLine($"slowest error from a stopped node: {slowest.TotalMilliseconds:F0} ms");
            Assert.True(slowest < ErrorBound, $"a request for a stopped node's key took {slowest.TotalMilliseconds:F0} ms");
        }
        finally
        {
            await Signals.ContinueAsync(pid);
        }

        await Poll.UntilAsync(async () => (await client.SendAsync([["GET", victimKeys[0]]], ReplyTimeout))[0].AsString() == "v",
            "the continued node to serve its keys again", TimeSpan.FromSeconds(30));
        RespValue[] after = await client.SendAsync([.. victimKeys.Select(k => new[] { "GET", k })], ReplyTimeout);
        Assert.All(after, r => Assert.Equal("v", r.AsString()));
        await stop.CancelAsync();
        Assert.True(await othersLoad > 0, "no read of another node's key ran while the node was stopped");
    }
}
