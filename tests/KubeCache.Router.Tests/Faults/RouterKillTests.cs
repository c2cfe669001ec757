using System.Diagnostics;
using System.Net.Sockets;
using KubeCache.CacheNode.Hosting;
using KubeCache.Protocol;
using KubeCache.Router.Tests.Local;
using KubeCache.Testing;
using KubeCache.Topology;
using Xunit.Abstractions;

namespace KubeCache.Router.Tests.Faults;

/// <summary>
/// <c>kill -9</c> of a router process in the middle of a client's requests: the client sees its
/// connection end at once (no hang), the nodes keep every key, and a new router serves them all.
/// Bound: 2,000 keys, one kill, at most about a minute.
/// </summary>
[Collection(LocalClusterCollection.Name)]
public sealed class RouterKillTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Kill9_RouterMidRequest_ClientConnectionEndsNodesKeepKeysNewRouterServesThem()
    {
        await using CacheNodeServer first = await TestNodes.StartAsync();
        await using CacheNodeServer second = await TestNodes.StartAsync();
        string ringFile = WriteRing(first, second);
        string[] keys = [.. Enumerable.Range(0, 2_000).Select(i => $"router-kill:{i}")];

        await using (ServerProcess doomed = await StartRouterAsync(ringFile))
        {
            await using RespPipeline client = await RespPipeline.ConnectAsync(doomed.RespEndPoint);
            RespValue[] sets = await client.SendAsync([.. keys.Select(k => new[] { "SET", k, "v" })], ReplyTimeout);
            Assert.All(sets, r => Assert.Equal("OK", r.AsString()));

            // A stream of pipelined writes is in flight when the router dies.
            Task load = WriteUntilFailureAsync(doomed);
            await Task.Delay(200);
            var timer = Stopwatch.StartNew();
            await Signals.KillAsync(doomed.Pid);
            Exception failure = await Assert.ThrowsAnyAsync<Exception>(() => load);
            output.WriteLine($"the client's connection failed {timer.ElapsedMilliseconds} ms after the kill: {failure.GetType().Name}");
            Assert.True(failure is IOException or SocketException or EndOfStreamException,
                $"the client saw {failure}");
        }

        await using ServerProcess replacement = await StartRouterAsync(ringFile);
        await using RespPipeline reader = await RespPipeline.ConnectAsync(replacement.RespEndPoint);
        RespValue[] values = await reader.SendAsync([.. keys.Select(k => new[] { "GET", k })], ReplyTimeout);
        Assert.All(values, v => Assert.Equal("v", v.AsString()));
    }

    private static Task<ServerProcess> StartRouterAsync(string ringFile) => ServerProcess.StartRouterAsync(
        Ports.Free(), Ports.Free(), ringFile, Path.Combine(Path.GetTempPath(), $"kubecache-router-kill-{Guid.NewGuid():N}.log"), ["--ring-poll-interval", "200ms", .. TestRouters.UpstreamTimeoutFlags]);

    /// <summary>Writes pipelined batches until the connection fails; the failure is the task's exception.</summary>
    private static async Task WriteUntilFailureAsync(ServerProcess router)
    {
        await using RespPipeline client = await RespPipeline.ConnectAsync(router.RespEndPoint);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        for (int batch = 0; !deadline.IsCancellationRequested; batch++)
        {
            RespValue[] replies = await client.SendAsync(
                [.. Enumerable.Range(0, 100).Select(i => new[] { "SET", $"router-kill:load:{batch}:{i}", "x" })], ReplyTimeout);
            Assert.All(replies, r => Assert.Equal("OK", r.AsString()));
        }
    }

    private static string WriteRing(params CacheNodeServer[] nodes)
    {
        RingMember[] members = [.. nodes.Select((n, i) => new RingMember($"node-{i}", $"127.0.0.1:{n.HttpEndPoint.Port}", $"127.0.0.1:{n.RespEndPoint!.Port}"))];
        var ring = new RingDocument { Cluster = "router-kill", Epoch = 1, Members = members };
        string path = Path.Combine(Directory.CreateTempSubdirectory("kubecache-router-kill-").FullName, "ring.json");
        File.WriteAllBytes(path, ring.ToUtf8Json());
        return path;
    }
}
