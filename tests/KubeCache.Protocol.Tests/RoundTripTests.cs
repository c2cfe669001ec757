using System.Buffers;
using KubeCache.Protocol.Tests.Support;

namespace KubeCache.Protocol.Tests;

public sealed class RoundTripTests
{
    [Fact]
    public void CommandWriterToCommandReader_EveryByteValue_IsPreserved()
    {
        byte[] everyByte = [.. Enumerable.Range(0, 256).Select(i => (byte)i)];
        var writer = new ArrayBufferWriter<byte>();
        RespCommandWriter.Write(writer, "SET"u8, everyByte, everyByte.AsMemory(0, 0), "\r\n*1\r\n$3\r\n"u8.ToArray());

        foreach (ReadOnlySequence<byte> input in Segments.EveryTwoWaySplit(writer.WrittenSpan.ToArray()))
        {
            ReadOnlySequence<byte> buffer = input;
            using var command = new RespCommand();
            Assert.Equal(RespReadStatus.Complete, RespCommandReader.TryRead(ref buffer, RespLimits.Default, command, out _));
            Assert.Equal(4, command.Count);
            Assert.True(command[1].SequenceEqual(everyByte));
            Assert.Equal(0, command[2].Length);
            Assert.Equal("\r\n*1\r\n$3\r\n", Bytes.Text(command[3]));
        }
    }

    [Fact]
    public void ReplyWriterToReplyReader_BinaryBulk_IsPreserved()
    {
        byte[] everyByte = [.. Enumerable.Range(0, 256).Select(i => (byte)i)];
        var writer = new ArrayBufferWriter<byte>();
        RespWriter.WriteArrayHeader(writer, 2);
        RespWriter.WriteBulkString(writer, everyByte);
        RespWriter.WriteNullBulkString(writer);
        var buffer = new ReadOnlySequence<byte>(writer.WrittenMemory);

        Assert.Equal(RespReadStatus.Complete, RespReplyReader.TryRead(ref buffer, out RespValue? value));
        Assert.Equal(RespValue.Array(RespValue.BulkString(everyByte), RespValue.NullBulkString), value);
    }

    [Fact]
    public void Commands_RandomWithFixedSeed_RoundTripInRandomSegments()
    {
        var random = new Random(20240601);
        var expected = new List<byte[][]>();
        var writer = new ArrayBufferWriter<byte>();
        for (int i = 0; i < 500; i++)
        {
            byte[][] arguments = [.. Enumerable.Range(0, random.Next(1, 8)).Select(_ => RandomBytes(random))];
            expected.Add(arguments);
            RespCommandWriter.Write(writer, [.. arguments.Select(a => (ReadOnlyMemory<byte>)a)]);
        }

        byte[] data = writer.WrittenSpan.ToArray();
        int[] cuts = [.. Enumerable.Range(0, 300).Select(_ => random.Next(data.Length)).Distinct().Order()];
        ReadOnlySequence<byte> buffer = Segments.Split(data, cuts);
        using var command = new RespCommand();

        foreach (byte[][] arguments in expected)
        {
            Assert.Equal(RespReadStatus.Complete, RespCommandReader.TryRead(ref buffer, RespLimits.Default, command, out _));
            Assert.Equal(arguments.Length, command.Count);
            for (int a = 0; a < arguments.Length; a++)
            {
                Assert.True(command[a].SequenceEqual(arguments[a]), $"argument {a} differs");
            }
        }

        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void Replies_RandomWithFixedSeed_RoundTripInRandomSegments()
    {
        var random = new Random(424242);
        var expected = new List<RespValue>();
        var writer = new ArrayBufferWriter<byte>();
        for (int i = 0; i < 300; i++)
        {
            RespValue value = RandomValue(random, depth: 0);
            expected.Add(value);
            RespWriter.WriteValue(writer, value);
        }

        byte[] data = writer.WrittenSpan.ToArray();
        int[] cuts = [.. Enumerable.Range(0, 300).Select(_ => random.Next(data.Length)).Distinct().Order()];
        ReadOnlySequence<byte> buffer = Segments.Split(data, cuts);

        foreach (RespValue value in expected)
        {
            Assert.Equal(RespReadStatus.Complete, RespReplyReader.TryRead(ref buffer, out RespValue? actual));
            Assert.Equal(value, actual);
        }

        Assert.True(buffer.IsEmpty);
    }

    private static byte[] RandomBytes(Random random)
    {
        // Mostly short values, sometimes long ones, and bytes biased towards '\r', '\n', '$', '*'.
        int length = random.Next(10) == 0 ? random.Next(5000) : random.Next(20);
        var bytes = new byte[length];
        random.NextBytes(bytes);
        for (int i = 0; i < bytes.Length; i += 1 + random.Next(4))
        {
            bytes[i] = "\r\n$*"u8[random.Next(4)];
        }

        return bytes;
    }

    private static RespValue RandomValue(Random random, int depth) => random.Next(depth < 3 ? 8 : 6) switch
    {
        0 => RespValue.SimpleString($"S{random.Next()}"),
        1 => RespValue.Error($"ERR e{random.Next()}"),
        2 => RespValue.Integer(random.NextInt64(long.MinValue, long.MaxValue)),
        3 => RespValue.BulkString(RandomBytes(random)),
        4 => RespValue.NullBulkString,
        5 => RespValue.NullArray,
        _ => RespValue.Array([.. Enumerable.Range(0, random.Next(6)).Select(_ => RandomValue(random, depth + 1))]),
    };
}
