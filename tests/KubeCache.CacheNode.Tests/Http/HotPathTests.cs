using System.Text;
using KubeCache.CacheNode.Hosting;
using KubeCache.CacheNode.Tests.Security;
using KubeCache.Hosting.Limits;
using KubeCache.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KubeCache.CacheNode.Tests.Http;

/// <summary>
/// The node's own reader of hot HTTP requests (GET /get, POST /put) and its hand-over to Kestrel,
/// through real sockets. Most tests are differential: the same bytes sent on a fresh connection
/// (where the reader takes what it can) and on a connection that a first request already handed
/// to Kestrel must get the same responses, byte for byte but for the Date header.
/// </summary>
public sealed class HotPathTests
{
    private const string Put = "POST /put HTTP/1.1\r\nHost: node\r\nContent-Length: 31\r\n\r\n{\"key\":\"hot:a\",\"value\":\"one 1\"}";
    private const string Get = "GET /get?key=hot:a HTTP/1.1\r\nHost: node\r\n\r\n";
    private const string Miss = "GET /get?key=hot%3Anone HTTP/1.1\r\nHost: node\r\n\r\n";
    private const string Stats = "GET /stats HTTP/1.1\r\nHost: node\r\n\r\n";

    /// <summary>A request Kestrel answers (the reader hands over at it); with it first, a connection is all Kestrel's.</summary>
    private const string Health = "GET /health HTTP/1.1\r\nHost: node\r\n\r\n";
    private const string CloseHealth = "GET /health HTTP/1.1\r\nHost: node\r\nConnection: close\r\n\r\n";

    [Fact]
    public async Task Pipeline_HotAndKestrelRequestsOnOneConnection_AnsweredInOrderAsByKestrel()
    {
        await using CacheNodeServer node = await TestNodes.StartAsync();

        List<string> hot = await AssertSameAsKestrelAsync(node, Put + Get + Miss + Health + Get + Put + CloseHealth);

        Assert.Equal(7, hot.Count);
        Assert.Contains("{\"status\":\"OK\",\"key\":\"hot:a\",\"value\":\"one 1\"}", hot[1], StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 404 ", hot[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task PipelineLongerThanOneReceiveBuffer_SameRepliesAsKestrel()
    {
        await using CacheNodeServer node = await TestNodes.StartAsync();

        // 150 requests, about 9 KiB: some heads cross the transport's 4 KiB receive buffers.
        List<string> hot = await AssertSameAsKestrelAsync(node, string.Concat(Enumerable.Repeat(Put + Get + Miss, 50)) + CloseHealth);

        Assert.Equal(151, hot.Count);
    }

    [Fact]
    public async Task KeepAlive_AcrossBothPaths_ConnectionStaysOpen()
    {
        await using CacheNodeServer node = await TestNodes.StartAsync();
        using RawClient client = await RawClient.ConnectAsync(node.HttpEndPoint);

        foreach (string request in new[] { Put, Get, Stats, Get })
        {
            await client.SendAsync(request);
            string reply = await ReadResponseAsync(client);
            Assert.StartsWith("HTTP/1.1 200 ", reply, StringComparison.Ordinal);
            Assert.DoesNotContain("Connection: close", reply, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task RequestsSplitAtEveryByte_SameRepliesAsKestrel()
    {
        await using CacheNodeServer node = await TestNodes.StartAsync();
        byte[] requests = Encoding.ASCII.GetBytes(Put + Get + CloseHealth);
        List<string> expected = await KestrelRepliesAsync(node, Put + Get + CloseHealth);

        for (int split = 1; split < requests.Length; split++)
        {
            using RawClient client = await RawClient.ConnectAsync(node.HttpEndPoint);
            await client.SendAsync(requests[..split]);
            await client.SendAsync(requests[split..]);
            Assert.Equal(expected, HttpResponses.Parse(await client.ReadToCloseAsync()));
        }
    }

    [Theory]
    [InlineData("GET /get?key=hot:a HTTP/1.0\r\nHost: node\r\n\r\n")]
    [InlineData("GET /get?key=hot:a HTTP/1.1\r\nHost: node\r\nConnection: close\r\n\r\n")]
    [InlineData("GET /get?key=hot:a HTTP/1.1\r\n\r\n")]
    [InlineData("GET /get?key=hot:a HTTP/1.1\r\nHost: node\r\nHost: other\r\n\r\n")]
    [InlineData("GET /get?key=hot:a HTTP/1.1\r\nHost: node\r\nBad Header: x\r\n\r\n")]
    [InlineData("GET /get?key=hot:a HTTP/1.1\nHost: node\n\n")]
    [InlineData("GET /get?key=h\x01t HTTP/1.1\r\nHost: node\r\n\r\n")]
    [InlineData("POST /put HTTP/1.1\r\nHost: node\r\nContent-Length: abc\r\n\r\n{}")]
    [InlineData("POST /put HTTP/1.1\r\nHost: node\r\nContent-Length: -1\r\n\r\n{}")]
    [InlineData("POST /put HTTP/1.1\r\nHost: node\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}")]
    [InlineData("POST /put HTTP/1.1\r\nHost: node\r\n\r\n")]
    [InlineData("POST /put HTTP/1.1\r\nHost: node\r\nContent-Length: 3\r\n\r\n{}")]
    [InlineData("POST /put HTTP/1.1\r\nHost: node\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")]
    [InlineData("POST /put HTTP/1.1\r\nHost: node\r\nContent-Length: 31\r\nExpect: 100-continue\r\n\r\n{\"key\":\"hot:a\",\"value\":\"one 1\"}")]
    [InlineData("POST /put HTTP/1.1\r\nHost: node\r\nContent-Length: 10\r\n\r\n{\"key\":1}x")]
    [InlineData("GET /get?key=hot:a HTTP/1.1\r\nHost: node\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")]
    public async Task UnusualRequest_SameReplyAsKestrel(string request)
    {
        await using CacheNodeServer node = await TestNodes.StartAsync();

        await AssertSameAsKestrelAsync(node, Put + request + CloseHealth);
    }

    [Fact]
    public async Task HeadersOverMaxHeaderBytes_AfterHotRequests_Get431AsToday()
    {
        await using CacheNodeServer node = await TestNodes.StartAsync(o => o.Limits.MaxHeaderBytes = 1024);
        string big = $"GET /get?key=hot:a HTTP/1.1\r\nHost: node\r\nX-Big: {new string('h', 1100)}\r\n\r\n";

        List<string> hot = await AssertSameAsKestrelAsync(node, Put + Get + big);

        Assert.StartsWith("HTTP/1.1 431 ", hot[^1], StringComparison.Ordinal);
        await Poll.UntilAsync(
            () => node.Services.GetRequiredService<ServerLimits>().Metrics.RequestsRejectedCount(RequestLimit.HeaderBytes) == 2,
            "both large heads to be counted");
    }

    [Fact]
    public async Task HotConnection_PastIdleTimeout_IsClosedAndCounted()
    {
        await using CacheNodeServer node = await TestNodes.StartAsync(o => o.Limits.IdleTimeout = TimeSpan.FromSeconds(1));
        using RawClient client = await RawClient.ConnectAsync(node.HttpEndPoint);
        await client.SendAsync(Put);

        string reply = await client.ReadToCloseAsync();

        Assert.StartsWith("HTTP/1.1 200 ", reply, StringComparison.Ordinal);
        LimitMetrics metrics = node.Services.GetRequiredService<ServerLimits>().Metrics;
        await Poll.UntilAsync(() => metrics.ClosedCount(resp: false, CloseReason.Idle) == 1, "the idle connection to be counted once");
    }

    [Fact]
    public async Task HotRequest_WhileStopping_SaysConnectionCloseAndCloses()
    {
        CacheNodeServer node = await TestNodes.StartAsync(o => o.ShutdownDelay = TimeSpan.FromSeconds(30));
        using RawClient client = await RawClient.ConnectAsync(node.HttpEndPoint);
        await client.SendAsync(Miss);
        Assert.StartsWith("HTTP/1.1 404 ", await ReadResponseAsync(client), StringComparison.Ordinal);

        using var stop = new CancellationTokenSource();
        Task stopping = node.StopAsync(stop.Token);
        try
        {
            await Poll.UntilAsync(
                () => node.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested, "the node to start stopping");
            await client.SendAsync(Miss);
            string reply = await client.ReadToCloseAsync();

            Assert.StartsWith("HTTP/1.1 404 ", reply, StringComparison.Ordinal);
            Assert.Contains("\r\nConnection: close\r\n", reply, StringComparison.Ordinal);
        }
        finally
        {
            await stop.CancelAsync();
            await stopping;
            await node.DisposeAsync();
        }
    }

    [Fact]
    public async Task IdleHotConnection_WhenKestrelStops_IsClosedAtOnce()
    {
        // A drain as long as the test's wait: a connection still open at its end was not asked to close.
        await using CacheNodeServer node = await TestNodes.StartAsync(o => o.ShutdownTimeout = TimeSpan.FromMinutes(2));
        using RawClient client = await RawClient.ConnectAsync(node.HttpEndPoint);
        await client.SendAsync(Miss);
        Assert.StartsWith("HTTP/1.1 404 ", await ReadResponseAsync(client), StringComparison.Ordinal);

        Task stopping = node.StopAsync();

        Assert.Equal("", await client.ReadToCloseAsync());
        await stopping;
    }

    [Fact]
    public async Task AuthOn_HotRequestsWithoutKey_Get401AndWithKeyAreServed()
    {
        await using CacheNodeServer node = await SecureNodes.StartAsync(SecureNodes.WriteKeys());
        string withKey = $"GET /get?key=hot:a HTTP/1.1\r\nHost: node\r\nAuthorization: Bearer {SecureNodes.Key}\r\n\r\n";

        List<string> replies = await ExchangeAsync(node, Get + withKey + CloseHealth);

        Assert.StartsWith("HTTP/1.1 401 ", replies[0], StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 404 ", replies[1], StringComparison.Ordinal);
    }

    /// <summary>Sends <paramref name="requests"/> on a fresh connection and on one handed to Kestrel first; returns the first's replies.</summary>
    private static async Task<List<string>> AssertSameAsKestrelAsync(CacheNodeServer node, string requests)
    {
        List<string> kestrel = await KestrelRepliesAsync(node, requests);
        List<string> hot = await ExchangeAsync(node, requests);
        Assert.Equal(kestrel, hot);
        return hot;
    }

    private static async Task<List<string>> KestrelRepliesAsync(CacheNodeServer node, string requests)
    {
        List<string> replies = await ExchangeAsync(node, Health + requests);
        Assert.StartsWith("HTTP/1.1 200 ", replies[0], StringComparison.Ordinal);
        return replies[1..];
    }

    private static async Task<List<string>> ExchangeAsync(CacheNodeServer node, string requests)
    {
        using RawClient client = await RawClient.ConnectAsync(node.HttpEndPoint);
        await client.SendAsync(requests);
        return HttpResponses.Parse(await client.ReadToCloseAsync());
    }

    /// <summary>Reads one response with a Content-Length body.</summary>
    private static async Task<string> ReadResponseAsync(RawClient client)
    {
        string received = "";
        while (HttpResponses.Parse(received).Count == 0)
        {
            string more = await client.ReceiveAsync();
            Assert.True(more.Length > 0, $"the server closed the connection after sending: {received}");
            received += more;
        }

        return received;
    }
}
