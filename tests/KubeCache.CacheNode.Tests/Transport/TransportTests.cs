using System.Net;
using System.Net.Sockets;
using System.Text;
using KubeCache.CacheNode.Hosting;
using KubeCache.CacheNode.Options;
using KubeCache.Hosting.Transport;
using KubeCache.Testing;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace KubeCache.CacheNode.Tests.Transport;

/// <summary>
/// What a client sees of the connection itself, the same with the node's own event loops
/// (--io-threads 1 and 2) as with .NET's socket engine (0): a client that does not read while it
/// sends, one that half-closes, one that resets, values larger than every buffer, and many
/// connections at once. Each drives a real node through its RESP or HTTP port.
/// </summary>
public sealed class TransportTests
{
    public static TheoryData<int> IoThreads => [0, 1, 2];

    [Theory]
    [MemberData(nameof(IoThreads))]
    public async Task UnreadPipeline_LargerThanEveryBuffer_EveryReplyArrivesInOrder(int ioThreads)
    {
        // 20,000 GETs of 1 KiB values: 20 MiB of replies, far more than the socket buffers and the
        // node's output pipe hold, so the node must stop reading, wait for room, and go on.
        const int Keys = 100;
        const int Gets = 20_000;
        await using CacheNodeServer node = await StartAsync(ioThreads);
        await using RespTestClient writer = await RespTestClient.ConnectAsync(node.RespEndPoint!);
        for (int i = 0; i < Keys; i++)
        {
            RespReply.Ok(await writer.CallAsync("SET", $"k{i}", Value(i)));
        }

        using Socket socket = await ConnectAsync(node.RespEndPoint!);
        var commands = new StringBuilder();
        for (int j = 0; j < Gets; j++)
        {
            string key = $"k{j % Keys}";
            commands.Append(FormattableString.Invariant($"*2\r\n$3\r\nGET\r\n${key.Length}\r\n{key}\r\n"));
        }

        Task sending = socket.SendAsync(Encoding.ASCII.GetBytes(commands.ToString()), SocketFlags.None);

        // Nothing is read until the node has had time to fill every buffer on the way.
        await Task.Delay(500);
        await using RespTestClient reader = RespTestClient.Over(socket);
        for (int j = 0; j < Gets; j++)
        {
            RespReply.Bulk(Value(j % Keys), await reader.ReadAsync());
        }

        await sending.WaitAsync(RespTestClient.ReplyTimeout);
    }

    [Theory]
    [MemberData(nameof(IoThreads))]
    public async Task HalfClosedClient_GetsEveryReplyThenTheClose(int ioThreads)
    {
        const int Commands = 1000;
        await using CacheNodeServer node = await StartAsync(ioThreads);
        using RawClient client = await RawClient.ConnectAsync(node.RespEndPoint!);
        var commands = new StringBuilder();
        for (int i = 0; i < Commands; i++)
        {
            commands.Append("*2\r\n$4\r\nINCR\r\n$7\r\ncounter\r\n");
        }

        await client.SendAsync(commands.ToString());
        client.ShutdownSend();

        // The node answers what it was sent, in order, and closes after the last reply.
        string replies = await client.ReadToCloseAsync();
        Assert.Equal(string.Concat(Enumerable.Range(1, Commands).Select(i => $":{i}\r\n")), replies);
    }

    [Theory]
    [MemberData(nameof(IoThreads))]
    public async Task ClientResetsWhileRepliesAreOwed_NodeServesOthers(int ioThreads)
    {
        await using CacheNodeServer node = await StartAsync(ioThreads);
        await using RespTestClient other = await RespTestClient.ConnectAsync(node.RespEndPoint!);
        RespReply.Ok(await other.CallAsync("SET", "big", new string('v', 512 * 1024)));

        for (int attempt = 0; attempt < 20; attempt++)
        {
            using Socket socket = await ConnectAsync(node.RespEndPoint!);
            byte[] gets = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n", 16)));
            await socket.SendAsync(gets, SocketFlags.None);

            // An abortive close: the node's next write or read on this connection fails with a reset.
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }

        RespReply.Bulk("PONG", await other.CallAsync("ECHO", "PONG"));
        RespReply.Bulk(new string('v', 512 * 1024), await other.CallAsync("GET", "big"));
    }

    [Theory]
    [MemberData(nameof(IoThreads))]
    public async Task ValueLargerThanTheReadBuffer_RoundTripsOverRespAndHttp(int ioThreads)
    {
        // 5 MiB, past the 1 MiB the transport buffers from a client before its reader catches up.
        string value = string.Concat(Enumerable.Range(0, 5 * 1024 * 1024 / 16).Select(i => (i % 100_000_000).ToString("D16", System.Globalization.CultureInfo.InvariantCulture)));
        await using CacheNodeServer node = await StartAsync(ioThreads, o => o.MaxValueBytes = 8 * 1024 * 1024);
        await using RespTestClient client = await RespTestClient.ConnectAsync(node.RespEndPoint!);
        RespReply.Ok(await client.CallAsync("SET", "large", value));
        RespReply.Bulk(value, await client.CallAsync("GET", "large"));

        using var http = new HttpClient { BaseAddress = new Uri($"http://{node.HttpEndPoint}") };
        string reply = await http.GetStringAsync("/get?key=large");
        Assert.Contains(value, reply, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(IoThreads))]
    public async Task ManyConnectionsAtOnce_EachGetsItsOwnReplies(int ioThreads)
    {
        const int Connections = 64;
        const int PerConnection = 200;
        await using CacheNodeServer node = await StartAsync(ioThreads, o => o.Limits.MaxConnectionsPerIp = Connections + 1);
        await Task.WhenAll(Enumerable.Range(0, Connections).Select(async c =>
        {
            await using RespTestClient client = await RespTestClient.ConnectAsync(node.RespEndPoint!);
            for (int i = 0; i < PerConnection; i++)
            {
                client.Queue("SET", $"c{c}:{i}", $"{c}:{i}");
                client.Queue("GET", $"c{c}:{i}");
            }

            await client.FlushAsync();
            for (int i = 0; i < PerConnection; i++)
            {
                RespReply.Ok(await client.ReadAsync());
                RespReply.Bulk($"{c}:{i}", await client.ReadAsync());
            }
        }));
    }

    [Fact]
    public async Task ConnectionOpenedByTheFactory_DisposedAfterTheFactoryStopped_ClosesInsteadOfWaitingForItsLoop()
    {
        // Regression: closing a connection is posted to its loop; a loop already stopped (the
        // host disposed its transport first) never ran it, and the connection's disposal hung.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var factory = new EpollTransportFactory(Microsoft.Extensions.Options.Options.Create(new SocketTransportOptions()), threads: 1, pools: null);
        ConnectionContext connection = await factory.ConnectAsync(listener.LocalEndpoint);
        using Socket accepted = await listener.AcceptSocketAsync();
        await connection.Transport.Output.WriteAsync("PING"u8.ToArray());
        byte[] received = new byte[4];
        Assert.Equal(4, await accepted.ReceiveAsync(received, SocketFlags.None));

        factory.Dispose();

        await connection.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, await accepted.ReceiveAsync(received, SocketFlags.None).WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private static Task<CacheNodeServer> StartAsync(int ioThreads, Action<NodeOptions>? configure = null) =>
        TestNodes.StartAsync(o =>
        {
            o.IoThreads = ioThreads;
            configure?.Invoke(o);
        });

    private static async Task<Socket> ConnectAsync(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = new CancellationTokenSource(RespTestClient.ReplyTimeout);
        await socket.ConnectAsync(endPoint, timeout.Token);
        return socket;
    }

    private static string Value(int i) => $"{i:D4}" + new string((char)('a' + (i % 26)), 1020);
}
