using System.Buffers;
using System.Text;
using KubeCache.Protocol.Tests.Support;

namespace KubeCache.Protocol.Tests;

/// <summary>The RESP3 types: written in RESP3 for a connection that chose it, in their RESP2 shape otherwise, and read back.</summary>
public sealed class Resp3Tests
{
    private static readonly RespValue s_sample = RespValue.Map(
        RespValue.BulkString("null"), RespValue.NullBulkString,
        RespValue.BulkString("list"), RespValue.Array(RespValue.NullArray, RespValue.Set(RespValue.Integer(1))),
        RespValue.BulkString("pi"), RespValue.Double(3.25),
        RespValue.BulkString("text"), RespValue.VerbatimString("a:b"));

    [Fact]
    public void WriteValue_Resp3_Resp3Types() => Assert.Equal(
        "%4\r\n$4\r\nnull\r\n_\r\n$4\r\nlist\r\n*2\r\n_\r\n~1\r\n:1\r\n$2\r\npi\r\n,3.25\r\n$4\r\ntext\r\n=7\r\ntxt:a:b\r\n",
        Bytes.Written(w => RespWriter.WriteValue(w, s_sample, RespProtocol.Resp3)));

    [Fact]
    public void WriteValue_Resp2_Resp2Shapes() => Assert.Equal(
        "*8\r\n$4\r\nnull\r\n$-1\r\n$4\r\nlist\r\n*2\r\n*-1\r\n*1\r\n:1\r\n$2\r\npi\r\n$4\r\n3.25\r\n$4\r\ntext\r\n$3\r\na:b\r\n",
        Bytes.Written(w => RespWriter.WriteValue(w, s_sample)));

    [Theory]
    [InlineData(double.PositiveInfinity, ",inf\r\n")]
    [InlineData(double.NegativeInfinity, ",-inf\r\n")]
    [InlineData(double.NaN, ",nan\r\n")]
    [InlineData(1e20, ",1e+20\r\n")]
    [InlineData(-0.5, ",-0.5\r\n")]
    public void Double_SpecialValues_RedisSpelling(double value, string expected) =>
        Assert.Equal(expected, Bytes.Written(w => RespWriter.WriteValue(w, RespValue.Double(value), RespProtocol.Resp3)));

    [Fact]
    public void Writers_NullAndMapHeader_FollowTheProtocol()
    {
        Assert.Equal("_\r\n", Bytes.Written(w => RespWriter.WriteNull(w, RespProtocol.Resp3)));
        Assert.Equal("$-1\r\n", Bytes.Written(w => RespWriter.WriteNull(w, RespProtocol.Resp2)));
        Assert.Equal("_\r\n", Bytes.Written(w => RespWriter.WriteNullArray(w, RespProtocol.Resp3)));
        Assert.Equal("*-1\r\n", Bytes.Written(w => RespWriter.WriteNullArray(w, RespProtocol.Resp2)));
        Assert.Equal("%2\r\n", Bytes.Written(w => RespWriter.WriteMapHeader(w, 2, RespProtocol.Resp3)));
        Assert.Equal("*4\r\n", Bytes.Written(w => RespWriter.WriteMapHeader(w, 2, RespProtocol.Resp2)));
        Assert.Equal("=9\r\ntxt:hello\r\n", Bytes.Written(w => RespWriter.WriteVerbatimString(w, "hello", RespProtocol.Resp3)));
        Assert.Equal("$5\r\nhello\r\n", Bytes.Written(w => RespWriter.WriteVerbatimString(w, "hello", RespProtocol.Resp2)));
    }

    [Fact]
    public void TryRead_Resp3Written_ReadsTheSameValue()
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(Bytes.Written(w => RespWriter.WriteValue(w, s_sample, RespProtocol.Resp3))));

        Assert.Equal(RespReadStatus.Complete, RespReplyReader.TryRead(ref buffer, out RespValue? value));

        Assert.True(buffer.IsEmpty);
        Assert.Equal(RespValueKind.Map, value!.Kind);
        Assert.Equal(RespValue.Null, value.Items[1]);
        Assert.Equal(RespValueKind.Set, value.Items[3].Items[1].Kind);
        Assert.Equal("3.25", value.Items[5].AsString());
        Assert.Equal(RespValueKind.Double, value.Items[5].Kind);
        Assert.Equal(RespValue.VerbatimString("a:b"), value.Items[7]);
    }

    [Theory]
    [InlineData("_")]
    [InlineData("%1\r\n+a\r\n")]
    [InlineData("=7\r\ntxt:ab")]
    [InlineData(",1.")]
    public void TryRead_Resp3Truncated_Incomplete(string frame)
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(frame));
        Assert.Equal(RespReadStatus.Incomplete, RespReplyReader.TryRead(ref buffer, out _));
    }

    [Theory]
    [InlineData("_x\r\n")]
    [InlineData("%-1\r\n")]
    [InlineData("=2\r\nab\r\n")]
    public void TryRead_Resp3Malformed_ProtocolError(string frame)
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(frame));
        Assert.Equal(RespReadStatus.ProtocolError, RespReplyReader.TryRead(ref buffer, RespLimits.Default, out _, out _));
    }

    [Fact]
    public void Map_OddItems_Throws() =>
        Assert.Throws<ArgumentException>(() => RespValue.Map(RespValue.Integer(1)));
}
