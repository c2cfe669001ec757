using System.Net.Http.Json;
using System.Text.Json;
using KubeCache.CacheNode.Tests.Resp.Support;
using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Resp;

/// <summary>Many commands in one write, and RESP on the HTTP port next to plain HTTP.</summary>
[Collection(SharedNodeCollection.Name)]
public sealed class PipeliningTests(NodeFixture fixture)
{
    private const int Commands = 10_000;

    [Fact]
    public async Task Pipeline_TenThousandCommandsInOneWrite_RepliesCorrectAndInOrder()
    {
        string prefix = Keys.Unique("pipe");
        await using RespTestClient client = await fixture.ConnectAsync();
        for (int i = 0; i < Commands / 2; i++)
        {
            client.Queue("SET", $"{prefix}:{i}", $"value-{i}");
            client.Queue("GET", $"{prefix}:{(i == 0 ? 0 : i - 1)}");
        }

        // Sending while reading: a client that only reads after writing everything can deadlock
        // against a server that waits for its replies to be read.
        Task sending = client.FlushAsync();
        for (int i = 0; i < Commands / 2; i++)
        {
            RespReply.Ok(await client.ReadAsync());
            RespReply.Bulk($"value-{(i == 0 ? 0 : i - 1)}", await client.ReadAsync());
        }

        await sending;
        RespReply.Simple("PONG", await client.CallAsync("PING"));
    }

    [Fact]
    public async Task Pipeline_ACommandThatMayWaitAmongOnesAnsweredAtOnce_RepliesInOrderAndTheConnectionGoesOn()
    {
        // MGET may flush part-way, so it never runs on the event loop: the connection leaves for
        // its pipes there, with the SET's reply written and the GET and INCR still to read.
        string key = Keys.Unique("wait"), counter = Keys.Unique("wait-n");
        await using RespTestClient client = await fixture.ConnectAsync();
        client.Queue("SET", key, "v");
        client.Queue("MGET", key, key);
        client.Queue("GET", key);
        client.Queue("INCR", counter);
        await client.FlushAsync();

        RespReply.Ok(await client.ReadAsync());
        RespReply.Items(await client.ReadAsync(), "v", "v");
        RespReply.Bulk("v", await client.ReadAsync());
        RespReply.Integer(1, await client.ReadAsync());
        RespReply.Integer(2, await client.CallAsync("INCR", counter));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task Pipeline_ThenHalfClose_EveryCommandAnsweredBeforeTheNodeCloses(int round)
    {
        // The client's FIN arrives with the commands and fires the connection's ConnectionClosed;
        // the replies are still owed. KEYS may flush part-way, so the connection leaves the event
        // loop there with the FIN already read: flushes that took that token as a cancellation
        // dropped the rest (found by NodeFuzzTests, one run in two).
        string key = Keys.Unique($"half-close-{round}");
        using RawClient client = await RawClient.ConnectAsync(fixture.Resp);
        await client.SendAsync($"SET {key} v\r\nKEYS {key}\r\nGET {key}\r\nEXISTS {key}\r\n");
        client.ShutdownSend();

        Assert.Equal($"+OK\r\n*1\r\n${key.Length}\r\n{key}\r\n$1\r\nv\r\n:1\r\n", await client.ReadToCloseAsync());
    }

    [Fact]
    public async Task Pipeline_FrameArrivingInParts_AnsweredOnceCompleteWithTheCommandsAroundIt()
    {
        string key = Keys.Unique("parts");
        await using RespTestClient client = await fixture.ConnectAsync();
        client.Queue("SET", key, "before");
        client.QueueRaw($"*3\r\n$3\r\nSET\r\n${key.Length}\r\n{key}\r\n$5\r\naf");
        await client.FlushAsync();
        RespReply.Ok(await client.ReadAsync());

        await Task.Delay(100);
        client.QueueRaw("ter\r\n");
        client.Queue("GET", key);
        await client.FlushAsync();
        RespReply.Ok(await client.ReadAsync());
        RespReply.Bulk("after", await client.ReadAsync());
    }

    [Fact]
    public async Task Pipeline_CommandsSentAByteAtATime_EachAnsweredOnceComplete()
    {
        string key = Keys.Unique("bytes");
        string frames = $"*3\r\n$3\r\nSET\r\n${key.Length}\r\n{key}\r\n$3\r\none\r\n*2\r\n$3\r\nGET\r\n${key.Length}\r\n{key}\r\n";
        await using RespTestClient client = await fixture.ConnectAsync();
        foreach (char c in frames)
        {
            client.QueueRaw(c.ToString());
            await client.FlushAsync();
            await Task.Delay(2);
        }

        RespReply.Ok(await client.ReadAsync());
        RespReply.Bulk("one", await client.ReadAsync());
    }

    [Fact]
    public async Task Pipeline_FrameLargerThanAReadArrivingInParts_StoredWhole()
    {
        // 200 KB in three parts: more than the event loop keeps of a frame, so the pipes take it over.
        string key = Keys.Unique("large-parts");
        string value = new('v', 200_000);
        string frame = $"*3\r\n$3\r\nSET\r\n${key.Length}\r\n{key}\r\n${value.Length}\r\n{value}\r\n";
        await using RespTestClient client = await fixture.ConnectAsync();
        int third = frame.Length / 3;
        foreach (string part in new[] { frame[..third], frame[third..(2 * third)], frame[(2 * third)..] })
        {
            client.QueueRaw(part);
            await client.FlushAsync();
            await Task.Delay(50);
        }

        RespReply.Ok(await client.ReadAsync());
        RespReply.Bulk(value, await client.CallAsync("GET", key));
    }

    [Fact]
    public async Task HttpPort_OwnClientSpeaksResp_Works()
    {
        string key = Keys.Unique("http-port");
        await using RespTestClient client = await RespTestClient.ConnectAsync(fixture.Http);
        RespReply.Ok(await client.CallAsync("SET", key, "over 7171"));
        RespReply.Bulk("over 7171", await client.CallAsync("GET", key));
    }

    [Fact]
    public async Task HttpPort_RedisCliThenHttp_BothProtocolsServed()
    {
        string key = Keys.Unique("cli-http");
        ProcessOutput set = await RedisTools.CliAsync(fixture.Http, "set", key, "from-redis-cli");
        Assert.True(set.ExitCode == 0 && set.StandardOutput.Trim() == "OK", set.ToString());

        using var http = new HttpClient { BaseAddress = new Uri($"http://{fixture.Http}"), Timeout = TimeSpan.FromSeconds(30) };
        using HttpResponseMessage health = await http.GetAsync("/health");
        Assert.True(health.IsSuccessStatusCode, $"GET /health after RESP on the same port: {(int)health.StatusCode}");
        using JsonDocument body = JsonDocument.Parse(await http.GetStringAsync($"/get?key={Uri.EscapeDataString(key)}"));
        Assert.Equal("from-redis-cli", body.RootElement.GetProperty("value").GetString());

        using HttpResponseMessage put = await http.PostAsJsonAsync("/put", new { key, value = "from-http" });
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        ProcessOutput get = await RedisTools.CliAsync(fixture.Http, "get", key);
        Assert.True(get.ExitCode == 0, get.ToString());
        Assert.Equal("from-http", get.StandardOutput.Trim());
    }
}
