using System.Buffers;
using KubeCache.Protocol.Tests.Support;

namespace KubeCache.Protocol.Tests;

public sealed class RespWriterTests
{
    [Fact]
    public void WriteSimpleString_Text_WritesPlusLine() =>
        Assert.Equal("+OK\r\n", Bytes.Written(w => RespWriter.WriteSimpleString(w, "OK")));

    [Fact]
    public void WriteSimpleString_ContainsCrLf_ReplacesWithSpaces() =>
        Assert.Equal("+a  b c\r\n", Bytes.Written(w => RespWriter.WriteSimpleString(w, "a\r\nb\nc"u8)));

    [Fact]
    public void WriteError_Message_WritesMinusLine() =>
        Assert.Equal("-ERR unknown command\r\n", Bytes.Written(w => RespWriter.WriteError(w, "ERR unknown command")));

    [Fact]
    public void WriteError_ContainsCrLf_ReplacesWithSpaces()
    {
        Assert.Equal("-ERR bad  line\r\n", Bytes.Written(w => RespWriter.WriteError(w, "ERR bad\r\nline")));
        Assert.Equal("-ERR x y\r\n", Bytes.Written(w => RespWriter.WriteError(w, "ERR x\ry"u8)));
    }

    [Theory]
    [InlineData(0L, ":0\r\n")]
    [InlineData(42L, ":42\r\n")]
    [InlineData(-1L, ":-1\r\n")]
    [InlineData(long.MaxValue, ":9223372036854775807\r\n")]
    [InlineData(long.MinValue, ":-9223372036854775808\r\n")]
    public void WriteInteger_Value_WritesColonLine(long value, string expected) =>
        Assert.Equal(expected, Bytes.Written(w => RespWriter.WriteInteger(w, value)));

    [Fact]
    public void WriteBulkString_Binary_WritesLengthAndBytes() =>
        Assert.Equal("$5\r\na\r\n\0b\r\n", Bytes.Written(w => RespWriter.WriteBulkString(w, "a\r\n\0b"u8)));

    [Fact]
    public void WriteBulkString_Empty_WritesZeroLength() =>
        Assert.Equal("$0\r\n\r\n", Bytes.Written(w => RespWriter.WriteBulkString(w, ReadOnlySpan<byte>.Empty)));

    [Fact]
    public void WriteBulkString_Utf8String_CountsBytesNotChars() =>
        Assert.Equal("$2\r\n\u00c3\u00a9\r\n", Bytes.Written(w => RespWriter.WriteBulkString(w, "\u00e9")));

    [Fact]
    public void WriteBulkString_LargerThanOneSpan_WritesAllBytes()
    {
        byte[] value = new byte[100_000];
        new Random(7).NextBytes(value);
        var writer = new ArrayBufferWriter<byte>(16);

        RespWriter.WriteBulkString(writer, value);

        byte[] expectedHeader = Bytes.Of("$100000\r\n");
        Assert.Equal(expectedHeader.Length + value.Length + 2, writer.WrittenCount);
        Assert.True(writer.WrittenSpan.StartsWith(expectedHeader));
        Assert.True(writer.WrittenSpan.Slice(expectedHeader.Length, value.Length).SequenceEqual(value));
        Assert.True(writer.WrittenSpan.EndsWith("\r\n"u8));
    }

    [Fact]
    public void WriteNullBulkString_WritesDollarMinusOne() =>
        Assert.Equal("$-1\r\n", Bytes.Written(RespWriter.WriteNullBulkString));

    [Fact]
    public void WriteArrayHeader_Count_WritesStarLine()
    {
        Assert.Equal("*3\r\n", Bytes.Written(w => RespWriter.WriteArrayHeader(w, 3)));
        Assert.Equal("*0\r\n", Bytes.Written(w => RespWriter.WriteArrayHeader(w, 0)));
    }

    [Fact]
    public void WriteArrayHeader_Negative_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RespWriter.WriteArrayHeader(new ArrayBufferWriter<byte>(), -1));

    [Fact]
    public void WriteNullArray_WritesStarMinusOne() =>
        Assert.Equal("*-1\r\n", Bytes.Written(RespWriter.WriteNullArray));

    [Fact]
    public void WriteValue_NestedArray_WritesEveryElement()
    {
        RespValue value = RespValue.Array(
            RespValue.SimpleString("OK"),
            RespValue.Error("ERR no"),
            RespValue.Integer(-3),
            RespValue.BulkString("hi"),
            RespValue.NullBulkString,
            RespValue.Array(RespValue.NullArray, RespValue.Array()));

        Assert.Equal(
            "*6\r\n+OK\r\n-ERR no\r\n:-3\r\n$2\r\nhi\r\n$-1\r\n*2\r\n*-1\r\n*0\r\n",
            Bytes.Written(w => RespWriter.WriteValue(w, value)));
    }

    [Fact]
    public void RespReplies_Constants_AreTheRedisBytes()
    {
        Assert.Equal("+OK\r\n", Bytes.Text(RespReplies.Ok));
        Assert.Equal("+PONG\r\n", Bytes.Text(RespReplies.Pong));
        Assert.Equal("$-1\r\n", Bytes.Text(RespReplies.NullBulkString));
        Assert.Equal("*-1\r\n", Bytes.Text(RespReplies.NullArray));
        Assert.Equal("*0\r\n", Bytes.Text(RespReplies.EmptyArray));
        Assert.Equal(":0\r\n", Bytes.Text(RespReplies.Zero));
        Assert.Equal(":1\r\n", Bytes.Text(RespReplies.One));
    }

    [Fact]
    public void WriteInteger_SteadyState_DoesNotAllocate()
    {
        var writer = new ArrayBufferWriter<byte>(1 << 20);
        RespWriter.WriteInteger(writer, 1);
        RespWriter.WriteBulkString(writer, "value"u8);
        long before = GC.GetAllocatedBytesForCurrentThread();

        for (int i = 0; i < 10_000; i++)
        {
            RespWriter.WriteInteger(writer, i);
            RespWriter.WriteBulkString(writer, "value"u8);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
