using System.Buffers;
using System.Text;
using KubeCache.Protocol;
using KubeCache.Router.Tests.Support;
using KubeCache.Router.Upstream;
using KubeCache.Testing;
using Microsoft.AspNetCore.Connections;

namespace KubeCache.Router.Tests.Upstream;

/// <summary>One connection against a real node started in-process.</summary>
[Collection(SharedNodeCollection.Name)]
public class UpstreamConnectionTests(NodeFixture fixture)
{
    /// <summary>What the connections run on: .NET's sockets here, the event loop in the derived class.</summary>
    protected virtual IConnectionFactory? Transport => null;

    private UpstreamOptions Options => TestOptions.Create(transport: Transport);

    [Fact]
    public async Task SendAsync_SetThenGet_RoundTrips()
    {
        await using UpstreamConnection connection = await ConnectAsync();
        string key = Keys.Unique("round-trip");

        Command.AssertOk(await connection.SendAsync(Command.Of("SET", key, "hello")));
        Command.AssertBulk("hello", await connection.SendAsync(Command.Of("GET", key)));
        Assert.True((await connection.SendAsync(Command.Of("GET", Keys.Unique("missing")))).IsNull);
    }

    [Fact]
    public async Task SendAsync_BinaryValue_ComesBackByteForByte()
    {
        await using UpstreamConnection connection = await ConnectAsync();
        byte[] key = [.. Encoding.UTF8.GetBytes(Keys.Unique("binary")), 0, 13, 10, 255];
        byte[] value = [.. Enumerable.Range(0, 256).Select(i => (byte)i), .. "\r\n$-1\r\n*2\r\n"u8.ToArray()];

        Command.AssertOk(await connection.SendAsync([(ReadOnlyMemory<byte>)"SET"u8.ToArray(), key, value]));
        RespValue reply = await connection.SendAsync([(ReadOnlyMemory<byte>)"GET"u8.ToArray(), key]);

        Assert.Equal(value, reply.Bytes.ToArray());
    }

    [Fact]
    public async Task SendAsync_ErrorReplies_AreValuesAndConnectionStaysUsable()
    {
        await using UpstreamConnection connection = await ConnectAsync();
        string key = Keys.Unique("error");
        Command.AssertOk(await connection.SendAsync(Command.Of("SET", key, "not-a-number")));

        RespValue unknown = await connection.SendAsync(Command.Of("NOSUCHCOMMAND", "x"));
        RespValue notInteger = await connection.SendAsync(Command.Of("INCR", key));
        RespValue arity = await connection.SendAsync(Command.Of("GET"));

        Assert.All([unknown, notInteger, arity], reply => Assert.True(reply.IsError, reply.ToString()));
        Assert.StartsWith("ERR unknown command", unknown.AsString(), StringComparison.Ordinal);
        Assert.True(connection.IsAlive);
        Assert.Equal("PONG", (await connection.SendAsync(Command.Of("PING"))).AsString());
    }

    [Fact]
    public async Task SendAsync_RespCommandReadFromClient_ForwardedAsIs()
    {
        await using UpstreamConnection connection = await ConnectAsync();
        string key = Keys.Unique("forward");
        var frames = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes($"*3\r\n$3\r\nSET\r\n${key.Length}\r\n{key}\r\n$2\r\nv1\r\nGET {key}\r\n"));
        using var command = new RespCommand();

        Assert.Equal(RespReadStatus.Complete, RespCommandReader.TryRead(ref frames, RespLimits.Default, command, out _));
        ValueTask<RespValue> set = connection.SendAsync(command);
        Assert.Equal(RespReadStatus.Complete, RespCommandReader.TryRead(ref frames, RespLimits.Default, command, out _));
        ValueTask<RespValue> get = connection.SendAsync(command);

        Command.AssertOk(await set);
        Command.AssertBulk("v1", await get);
    }

    [Fact]
    public async Task SendAsync_CancelledBeforeSending_IsSkippedAndOthersGetTheirReplies()
    {
        await using UpstreamConnection connection = await ConnectAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            async () => await connection.SendAsync(Command.Of("ECHO", "skipped"), new CancellationToken(canceled: true)));

        Command.AssertBulk("mine", await connection.SendAsync(Command.Of("ECHO", "mine")));
    }

    [Fact]
    public async Task SendAsync_ThousandsConcurrently_EachGetsItsOwnReply()
    {
        await using UpstreamConnection connection = await ConnectAsync();
        string prefix = Keys.Unique("concurrent");

        await Task.WhenAll(Enumerable.Range(0, 20).Select(task => Task.Run(async () =>
        {
            var replies = new List<(string Expected, ValueTask<RespValue> Reply)>();
            for (int i = 0; i < 250; i++)
            {
                string value = $"{prefix}:{task}:{i}";
                replies.Add((value, connection.SendAsync(Command.Of("ECHO", value))));
            }

            foreach ((string expected, ValueTask<RespValue> reply) in replies)
            {
                Command.AssertBulk(expected, await reply);
            }
        })));
    }

    [Fact]
    public async Task ConnectAsync_ClosedPort_ThrowsUpstreamExceptionNamingTheNode()
    {
        string address = $"127.0.0.1:{Ports.Free()}";

        UpstreamException e = await Assert.ThrowsAsync<UpstreamException>(
            async () => await UpstreamConnection.ConnectAsync("node-x", address, Options));

        Assert.Equal("node-x", e.NodeName);
        Assert.StartsWith($"node node-x ({address}): cannot connect: ", e.Message, StringComparison.Ordinal);
    }

    private async Task<UpstreamConnection> ConnectAsync() =>
        await UpstreamConnection.ConnectAsync("node-0", fixture.Address, Options);
}

/// <summary>The same cases on the event loop's connections (<see cref="KubeCache.Hosting.Transport.EpollTransportFactory"/>).</summary>
[Collection(SharedNodeCollection.Name)]
public sealed class UpstreamConnectionOnEventLoopTests(NodeFixture fixture) : UpstreamConnectionTests(fixture)
{
    protected override IConnectionFactory? Transport => TestTransports.EventLoop;
}
