using System.Net;
using System.Text.Json;
using KubeCache.Protocol;
using Xunit.Abstractions;

namespace KubeCache.Router.Tests.Local;

/// <summary>Local mode end to end: real node processes, scaled through the admin API while clients keep reading and writing.</summary>
[Collection(LocalClusterCollection.Name)]
public sealed class LocalScalingTests(ITestOutputHelper output)
{
    private const int Keys = 100_000;
    private const int Batch = 1_000;
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Scale_3To5To2UnderLoad_LosesNoKeyFailsNoRequestAndStaysBalanced()
    {
        await using LocalRouter router = await LocalRouter.StartAsync(nodes: 3, upstreamTimeout: TimeSpan.FromSeconds(5), output: output);
        await LoadAsync(router);

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(100));
        var load = new BackgroundLoad(router, Keys);
        Task writer = load.WriteAsync(stop.Token);
        Task reader = load.ReadAsync(stop.Token);

        var timer = System.Diagnostics.Stopwatch.StartNew();
        await ScaleAsync(router, HttpMethod.Post, "/admin/nodes", HttpStatusCode.Created);
        await ScaleAsync(router, HttpMethod.Post, "/admin/nodes", HttpStatusCode.Created);
        Assert.Equal(5, router.Cluster.Nodes.Count);
        foreach (string name in new[] { "node-1", "node-3", "node-5" })
        {
            await ScaleAsync(router, HttpMethod.Delete, $"/admin/nodes/{name}", HttpStatusCode.OK);
        }

        output.WriteLine($"3 -> 5 -> 2 took {timer.ElapsedMilliseconds} ms");
        await stop.CancelAsync();
        await Task.WhenAll(writer, reader);
        output.WriteLine($"background: {load.Writes} writes, {load.Reads} reads, {load.Misses} misses, {load.Failures.Count} failures");

        foreach (string failure in load.Failures.Take(10))
        {
            output.WriteLine(failure);
        }

        Assert.Empty(load.Failures);
        Assert.True(load.Writes > 0 && load.Reads > 0, "the background load did not run");
        await AssertAllKeysPresentAsync(router, load.AcknowledgedWrites);
        await AssertBalancedAndHandedOffAsync(router, Keys + load.AcknowledgedWrites);

        // A read of a loaded key must never miss, not even while its handoff is in flight.
        Assert.True(load.Misses == 0, $"{load.Misses} of {load.Reads} reads missed a loaded key");
    }

    /// <summary>Writes the keys through the router's RESP port, pipelined, a tenth with a TTL.</summary>
    private static async Task LoadAsync(LocalRouter router)
    {
        await Parallel.ForEachAsync(Enumerable.Range(0, Keys / Batch), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (batch, _) =>
        {
            await using RespPipeline client = await RespPipeline.ConnectAsync(router.RespEndPoint);
            string[][] commands = [.. Enumerable.Range(batch * Batch, Batch).Select(SetCommand)];
            RespValue[] replies = await client.SendAsync(commands, ReplyTimeout);
            Assert.All(replies, r => Assert.Equal("OK", r.AsString()));
        });
    }

    private static string[] SetCommand(int i) =>
        i % 10 == 0 ? ["SET", Key(i), Value(i), "EX", "3600"] : ["SET", Key(i), Value(i)];

    internal static string Key(int i) => $"key:{i}";

    internal static string Value(int i) => $"value:{i}";

    private async Task ScaleAsync(LocalRouter router, HttpMethod method, string path, HttpStatusCode expected)
    {
        var timer = System.Diagnostics.Stopwatch.StartNew();
        using HttpResponseMessage response = await router.Http.SendAsync(new HttpRequestMessage(method, path));
        string body = await response.Content.ReadAsStringAsync();
        output.WriteLine($"{method} {path}: {(int)response.StatusCode} in {timer.ElapsedMilliseconds} ms {body}");
        Assert.Equal(expected, response.StatusCode);
    }

    private static async Task AssertAllKeysPresentAsync(LocalRouter router, int writes)
    {
        await using RespPipeline client = await RespPipeline.ConnectAsync(router.RespEndPoint);
        for (int start = 0; start < Keys; start += Batch)
        {
            RespValue[] replies = await client.SendAsync([.. Enumerable.Range(start, Batch).Select(i => new[] { "GET", Key(i) })], ReplyTimeout);
            for (int i = 0; i < Batch; i++)
            {
                Assert.Equal(Value(start + i), replies[i].AsString());
            }
        }

        RespValue[] written = await client.SendAsync([.. Enumerable.Range(0, writes).Select(i => new[] { "GET", BackgroundLoad.WriterKey(i) })], ReplyTimeout);
        for (int i = 0; i < writes; i++)
        {
            Assert.Equal(BackgroundLoad.WriterValue(i), written[i].AsString());
        }

        // The TTL moved with the keys: still set, and not renewed.
        RespValue[] ttls = await client.SendAsync([.. Enumerable.Range(0, 100).Select(i => new[] { "TTL", Key(i * 10) })], ReplyTimeout);
        Assert.All(ttls, t => Assert.InRange(t.AsInt64(), 1, 3600));
    }

    private async Task AssertBalancedAndHandedOffAsync(LocalRouter router, int expectedKeys)
    {
        using JsonDocument nodes = JsonDocument.Parse(await router.Http.GetStringAsync("/admin/nodes"));
        long[] items = [.. nodes.RootElement.EnumerateArray().Select(n => n.GetProperty("items").GetInt64())];
        output.WriteLine($"items per node: {string.Join(", ", items)}");
        Assert.Equal(2, items.Length);
        Assert.Equal(expectedKeys, items.Sum());
        Assert.InRange(items.Max() / items.Average(), 1.0, 1.1);

        foreach (JsonElement node in nodes.RootElement.EnumerateArray())
        {
            using JsonDocument handoff = JsonDocument.Parse(await router.Http.GetStringAsync($"http://{node.GetProperty("http").GetString()}/cluster/handoff"));
            Assert.Equal("done", handoff.RootElement.GetProperty("state").GetString());
            Assert.Equal(router.Server.Routes.Routes!.Epoch, handoff.RootElement.GetProperty("epoch").GetInt64());
        }
    }
}
