using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using KubeCache.CacheNode.Hosting;
using KubeCache.Router.Tests.Local;
using KubeCache.Testing;
using KubeCache.Testing.Clients;
using KubeCache.Topology;
using Xunit.Abstractions;

namespace KubeCache.Router.Tests.Faults;

/// <summary>
/// SIGTERM of a router process that clients reach through a Service (<see cref="ServiceEndpoints"/>,
/// two routers behind it) while HTTP keep-alive and RESP clients write and read: the router turns
/// not-ready but keeps serving for --shutdown-delay, the test then drops it from the endpoints as
/// the EndpointSlice controller would, and the router drains and exits. Responses during the delay
/// say Connection: close, so keep-alive clients leave it before it stops listening. No request fails; a RESP
/// command whose reused connection the router closed before answering is resent on a new one, as
/// client libraries do. Bound: one SIGTERM, a few seconds of traffic, about a minute at most.
/// </summary>
[Collection(LocalClusterCollection.Name)]
public sealed class RouterDrainTests(ITestOutputHelper output)
{
    private const int HttpClients = 4;
    private const int RespClients = 4;
    private static readonly TimeSpan ShutdownDelay = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Sigterm_RouterUnderLoadBehindService_NotReadyThenDrainsWithNoFailedRequest()
    {
        await using CacheNodeServer first = await TestNodes.StartAsync();
        await using CacheNodeServer second = await TestNodes.StartAsync();
        string ringFile = WriteRing(first, second);
        await using ServerProcess doomed = await StartRouterAsync(ringFile);
        await using ServerProcess other = await StartRouterAsync(ringFile);
        var http = new ServiceEndpoints();
        var resp = new ServiceEndpoints();
        http.Set([doomed.HttpEndPoint, other.HttpEndPoint]);
        resp.Set([doomed.RespEndPoint, other.RespEndPoint]);

        var traffic = new DrainTraffic(http, resp);
        traffic.Start(HttpClients, RespClients);
        await Poll.UntilAsync(() => traffic.Succeeded > 500 || traffic.Failures > 0, "the clients' first requests", Bound);

        var clock = Stopwatch.StartNew();
        Assert.True(await doomed.SignalAsync("TERM"), "kill -TERM of the router failed");
        using var direct = new HttpClient { BaseAddress = doomed.HttpUri, Timeout = TimeSpan.FromSeconds(5) };
        await Poll.UntilAsync(async () => await ReadyStatusAsync(direct) == HttpStatusCode.ServiceUnavailable, "/readyz 503 after SIGTERM", Bound);
        TimeSpan notReady = clock.Elapsed;

        // The endpoints still list the router until the controller catches up: a new connection is served.
        using (HttpResponseMessage late = await direct.PostAsJsonAsync("set", new JsonObject { ["key"] = "drain:late", ["value"] = "v" }))
        {
            Assert.Equal(HttpStatusCode.OK, late.StatusCode);

            // ...and told to go: a keep-alive client's next request goes through the Service again
            // instead of racing the drain's close of an idle connection.
            Assert.True(late.Headers.ConnectionClose == true, $"a response during the shutdown delay has no Connection: close ({late.Headers.Connection})");
        }

        http.Set([other.HttpEndPoint]);
        resp.Set([other.RespEndPoint]);
        await Poll.UntilAsync(() => doomed.HasExited, "the router to exit after its drain", Bound, TimeSpan.FromMilliseconds(50));
        TimeSpan exited = clock.Elapsed;
        long atExit = traffic.Succeeded;
        await Poll.UntilAsync(() => traffic.Succeeded > atExit + 200 || traffic.Failures > 0, "requests through the remaining router", Bound);
        await traffic.StopAsync();

        output.WriteLine($"/readyz 503 {notReady.TotalMilliseconds:F0} ms after SIGTERM, exit after {exited.TotalSeconds:F1} s (--shutdown-delay {ShutdownDelay.TotalSeconds} s); "
            + $"{traffic.Succeeded} requests succeeded, {traffic.Resent} RESP commands resent after a close between batches, {traffic.Failures} failed");
        Assert.True(traffic.Failures == 0, "failed requests:\n" + string.Join('\n', traffic.Errors));
        Assert.Equal(0, doomed.Process.ExitCode);
        Assert.True(exited >= ShutdownDelay, $"the router exited {exited.TotalSeconds:F1} s after SIGTERM, before its {ShutdownDelay.TotalSeconds} s delay ended");
    }

    private static async Task<HttpStatusCode?> ReadyStatusAsync(HttpClient client)
    {
        try
        {
            using HttpResponseMessage response = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static Task<ServerProcess> StartRouterAsync(string ringFile) => ServerProcess.StartRouterAsync(
        Ports.Free(), Ports.Free(), ringFile, Path.Combine(Path.GetTempPath(), $"kubecache-router-drain-{Guid.NewGuid():N}.log"),
        ["--ring-poll-interval", "200ms", "--shutdown-delay", $"{ShutdownDelay.TotalSeconds}", "--shutdown-timeout", "10", .. TestRouters.UpstreamTimeoutFlags]);

    private static string WriteRing(params CacheNodeServer[] nodes)
    {
        RingMember[] members = [.. nodes.Select((n, i) => new RingMember($"node-{i}", $"127.0.0.1:{n.HttpEndPoint.Port}", $"127.0.0.1:{n.RespEndPoint!.Port}"))];
        var ring = new RingDocument { Cluster = "router-drain", Epoch = 1, Members = members };
        string path = Path.Combine(Directory.CreateTempSubdirectory("kubecache-router-drain-").FullName, "ring.json");
        File.WriteAllBytes(path, ring.ToUtf8Json());
        return path;
    }
}
