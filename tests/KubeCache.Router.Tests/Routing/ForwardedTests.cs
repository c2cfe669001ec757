using System.Buffers;
using KubeCache.Protocol;
using KubeCache.Router.Routing;
using KubeCache.Router.Upstream;
using KubeCache.Topology;

namespace KubeCache.Router.Tests.Routing;

public sealed class ForwardedTests
{
    /// <summary>The copy outlives the client's input: the arguments come back byte for byte (binary, empty, large) after the input is overwritten.</summary>
    [Fact]
    public async Task Arguments_AfterTheInputIsReused_AreTheCommandsArguments()
    {
        byte[] binary = [0, 13, 10, 255, (byte)'$'];
        byte[] large = new byte[70_000];
        Random.Shared.NextBytes(large);
        byte[][] expected = ["SET"u8.ToArray(), "key"u8.ToArray(), binary, [], large];
        byte[] input = Encode(expected);
        var frames = new ReadOnlySequence<byte>(input);
        using var command = new RespCommand();
        Assert.Equal(RespReadStatus.Complete, RespCommandReader.TryRead(ref frames, RespLimits.Default, command, out _));
        await using var pool = new UpstreamPool();
        var table = new RouteTable(pool);
        var member = new RingMember("a", "127.0.0.1:7001", "127.0.0.1:7101");
        table.Apply(new RingDocument { Cluster = "forwarded-test", Epoch = 1, Members = [member] });

        var forwarded = new Forwarded(member, table.Routes!, command, keyIndex: 1);
        Array.Fill(input, (byte)'x');

        ReadOnlyMemory<byte>[] arguments = forwarded.Arguments();
        Assert.Equal(expected.Length, arguments.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(arguments[i].Span.SequenceEqual(expected[i]), $"argument {i} differs");
        }

        Assert.Equal(1, forwarded.KeyIndex);
        Assert.Same(member, forwarded.Owner);
    }

    private static byte[] Encode(byte[][] arguments)
    {
        var writer = new ArrayBufferWriter<byte>();
        RespCommandWriter.Write(writer, [.. arguments.Select(a => (ReadOnlyMemory<byte>)a)]);
        return writer.WrittenSpan.ToArray();
    }
}
