using KubeCache.CacheNode.Hosting;
using KubeCache.CacheNode.Options;
using KubeCache.Hosting.Limits;
using KubeCache.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace KubeCache.CacheNode.Tests.Limits;

/// <summary>
/// HTTP limits Kestrel enforces for the node, sent over raw sockets so the exact bytes are under
/// the test's control: request line (414), headers (431), body (413), slow headers, slow body,
/// idle keep-alive and a client that does not read its responses. Each is counted. Every wait is
/// bounded (30 s for a close; timeouts are set to 1.5 s).
/// </summary>
public sealed class HttpLimitTests
{
    [Fact]
    public async Task RequestLine_OverMaxRequestLineBytes_Gets414AndIsCounted()
    {
        await using CacheNodeServer node = await TestNodes.StartAsync(o => o.Limits.MaxRequestLineBytes = 1024);

        string reply = await SendAsync(node, $"GET /get?key={new string('k', 1100)} HTTP/1.1\r\nHost: node\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 414 ", reply, StringComparison.Ordinal);
        await PollCountAsync(node, m => m.RequestsRejectedCount(RequestLimit.RequestLine), "the long request line");
    }

    [Fact]
    public async Task Headers_OverMaxHeaderBytes_Gets431AndIsCounted()
    {
        await using CacheNodeServer node = await TestNodes.StartAsync(o => o.Limits.MaxHeaderBytes = 1024);

        string reply = await SendAsync(node, $"GET /health HTTP/1.1\r\nHost: node\r\nX-Big: {new string('h', 1100)}\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 431 ", reply, StringComparison.Ordinal);
        await PollCountAsync(node, m => m.RequestsRejectedCount(RequestLimit.HeaderBytes), "the large headers");
    }

    [Fact]
    public async Task Headers_OverMaxHeaderCount_Gets431AndIsCounted()
    {
        await using CacheNodeServer node = await TestNodes.StartAsync(o => o.Limits.MaxHeaderCount = 5);
        string headers = string.Concat(Enumerable.Range(0, 6).Select(i => $"X-H{i}: v\r\n"));

        string reply = await SendAsync(node, $"GET /health HTTP/1.1\r\nHost: node\r\n{headers}\r\n");

        Assert.StartsWith("HTTP/1.1 431 ", reply, StringComparison.Ordinal);
        await PollCountAsync(node, m => m.RequestsRejectedCount(RequestLimit.HeaderCount), "the many headers");
    }

    [Fact]
    public async Task Body_OverMaxBodyBytes_Gets413NamingTheFlagAndIsCounted()
    {
        await using CacheNodeServer node = await TestNodes.StartAsync(o => o.MaxBodyBytes = 1024);
        string body = $$"""{"key":"k","value":"{{new string('v', 2000)}}"}""";

        string reply = await SendAsync(node, $"POST /put HTTP/1.1\r\nHost: node\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}");

        Assert.StartsWith("HTTP/1.1 413 ", reply, StringComparison.Ordinal);
        Assert.Contains("(--max-body-bytes)", reply, StringComparison.Ordinal);
        await PollCountAsync(node, m => m.RequestsRejectedCount(RequestLimit.Body), "the large body");
    }

    [Fact]
    public async Task TrickledHeaders_PastRequestTimeout_AreCutOff()
    {
        await using CacheNodeServer node = await TestNodes.StartAsync(Slow);
        using RawClient client = await RawClient.ConnectAsync(node.HttpEndPoint);
        byte[] head = "GET /health HTTP/1.1\r\nHost: node\r\nX-Slow: trickle-trickle-trickle-trickle-trickle-trickle\r\n\r\n"u8.ToArray();

        int sent = await client.TrickleAsync(head, TimeSpan.FromMilliseconds(100));

        Assert.True(sent < head.Length, "the whole trickled request head was accepted");
        await PollCountAsync(node, m => m.ClosedCount(resp: false, CloseReason.SlowRequest), "the slow request head");
    }

    [Fact]
    public async Task TrickledBody_BelowMinDataRate_IsCutOff()
    {
        await using CacheNodeServer node = await TestNodes.StartAsync(Slow);
        using RawClient client = await RawClient.ConnectAsync(node.HttpEndPoint);
        string body = $$"""{"key":"slow","value":"{{new string('v', 200)}}"}""";
        await client.SendAsync($"POST /put HTTP/1.1\r\nHost: node\r\nContent-Length: {body.Length}\r\n\r\n");

        // One byte per 100 ms is 10 bytes/s, under --min-data-rate 240 once the 1.5 s grace is over.
        int sent = await client.TrickleAsync(System.Text.Encoding.ASCII.GetBytes(body), TimeSpan.FromMilliseconds(100));

        Assert.True(sent < body.Length, "the whole trickled body was accepted");
        await PollCountAsync(node, m => m.ClosedCount(resp: false, CloseReason.SlowRequest), "the slow body");
        Assert.Equal(0, node.Store.GetStats().Items);
    }

    [Fact]
    public async Task KeepAliveConnection_PastIdleTimeout_IsClosed()
    {
        await using CacheNodeServer node = await TestNodes.StartAsync(o => o.Limits.IdleTimeout = TimeSpan.FromSeconds(1));
        using RawClient client = await RawClient.ConnectAsync(node.HttpEndPoint);
        await client.SendAsync("GET /health HTTP/1.1\r\nHost: node\r\n\r\n");

        string reply = await client.ReadToCloseAsync();

        Assert.StartsWith("HTTP/1.1 200 ", reply, StringComparison.Ordinal);
        await PollCountAsync(node, m => m.ClosedCount(resp: false, CloseReason.Idle), "the idle keep-alive connection");
    }

    [Theory]
    [InlineData("batch_get", 200)] // Kestrel's path: 1 MiB per reply
    [InlineData("get", 400)] // the hot path, answered on the transport's loop until the socket is full: 64 KiB per reply
    public async Task PipelinedRequestsToClientNotReading_BelowMinDataRate_AreCutOff(string endpoint, int requests)
    {
        await using CacheNodeServer node = await TestNodes.StartAsync(o =>
        {
            o.Limits.OutputTimeout = TimeSpan.FromSeconds(1.5);
            o.Limits.MinDataRate = 1_000_000;
        });
        string value = new('v', 64 * 1024);
        for (int i = 0; i < 16; i++)
        {
            node.Store.Set(System.Text.Encoding.ASCII.GetBytes($"k{i}"), System.Text.Encoding.ASCII.GetBytes(value));
        }

        // Far more than socket buffers hold, and never read.
        using RawClient client = await RawClient.ConnectAsync(node.HttpEndPoint);
        string query = endpoint == "get" ? "key=k0" : "keys=" + string.Join(',', Enumerable.Range(0, 16).Select(i => $"k{i}"));
        await client.SendAsync(string.Concat(Enumerable.Repeat($"GET /{endpoint}?{query} HTTP/1.1\r\nHost: node\r\n\r\n", requests)));

        await PollCountAsync(node, m => m.ClosedCount(resp: false, CloseReason.SlowResponse), "the client that does not read");
        long valueBytesPerReply = endpoint == "get" ? value.Length : 16L * value.Length;
        Assert.True((await client.ReadToCloseAsync()).Length < requests * valueBytesPerReply, "every response was delivered");
    }

    private static void Slow(NodeOptions options)
    {
        options.Limits.RequestTimeout = TimeSpan.FromSeconds(1.5);
        options.Limits.IdleTimeout = TimeSpan.FromSeconds(60);
    }

    private static async Task<string> SendAsync(CacheNodeServer node, string request)
    {
        using RawClient client = await RawClient.ConnectAsync(node.HttpEndPoint);
        await client.SendAsync(request);
        return await client.ReadToCloseAsync();
    }

    /// <summary>Kestrel records why a connection ended as it finishes closing it, just after the client sees the close.</summary>
    private static Task PollCountAsync(CacheNodeServer node, Func<LimitMetrics, long> count, string what)
    {
        LimitMetrics metrics = node.Services.GetRequiredService<ServerLimits>().Metrics;
        return Poll.UntilAsync(() => Task.FromResult(count(metrics) == 1), $"{what} to be counted once");
    }
}
