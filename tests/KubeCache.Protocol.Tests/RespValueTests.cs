namespace KubeCache.Protocol.Tests;

public sealed class RespValueTests
{
    [Fact]
    public void AsString_EachKind_ReturnsText()
    {
        Assert.Equal("OK", RespValue.SimpleString("OK").AsString());
        Assert.Equal("ERR x", RespValue.Error("ERR x").AsString());
        Assert.Equal("-5", RespValue.Integer(-5).AsString());
        Assert.Equal("h\u00e9", RespValue.BulkString("h\u00e9").AsString());
        Assert.Null(RespValue.NullBulkString.AsString());
        Assert.Null(RespValue.NullArray.AsString());
        Assert.Throws<InvalidOperationException>(() => RespValue.Array().AsString());
    }

    [Fact]
    public void AsInt64_IntegerOrNumericString_ReturnsValue()
    {
        Assert.Equal(7, RespValue.Integer(7).AsInt64());
        Assert.Equal(-12, RespValue.BulkString("-12").AsInt64());
        Assert.Equal(3, RespValue.SimpleString("3").AsInt64());
    }

    [Fact]
    public void AsInt64_NotAnInteger_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => RespValue.BulkString("1.5").AsInt64());
        Assert.Throws<InvalidOperationException>(() => RespValue.NullBulkString.AsInt64());
        Assert.Throws<InvalidOperationException>(() => RespValue.Error("1").AsInt64());
    }

    [Fact]
    public void Properties_EachKind_DescribeValue()
    {
        Assert.True(RespValue.Error("ERR").IsError);
        Assert.False(RespValue.SimpleString("OK").IsError);
        Assert.True(RespValue.NullBulkString.IsNull);
        Assert.True(RespValue.NullArray.IsNull);
        Assert.Equal(RespValueKind.Array, RespValue.NullArray.Kind);
        Assert.Empty(RespValue.NullArray.Items);
        Assert.Empty(RespValue.Integer(1).Items);
        Assert.Equal(2, RespValue.Array(RespValue.Integer(1), RespValue.Integer(2)).Items.Count);
    }

    [Fact]
    public void ToString_EachKind_ReadsLikeRedisCli()
    {
        RespValue value = RespValue.Array(
            RespValue.SimpleString("OK"),
            RespValue.Error("ERR bad"),
            RespValue.Integer(3),
            RespValue.BulkString(new byte[] { (byte)'a', (byte)'"', 13, 10, 0, 0xff }),
            RespValue.NullBulkString,
            RespValue.NullArray,
            RespValue.Array());

        Assert.Equal("[OK, (error) ERR bad, (integer) 3, \"a\\\"\\r\\n\\x00\\xff\", (nil), (nil array), []]", value.ToString());
    }

    [Fact]
    public void Equals_SameStructure_IsTrueAndDifferentIsFalse()
    {
        RespValue a = RespValue.Array(RespValue.BulkString("x"), RespValue.Integer(1));
        RespValue b = RespValue.Array(RespValue.BulkString("x"), RespValue.Integer(1));

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, RespValue.Array(RespValue.BulkString("x"), RespValue.Integer(2)));
        Assert.NotEqual(RespValue.SimpleString("x"), RespValue.BulkString("x"));
        Assert.NotEqual(RespValue.NullBulkString, RespValue.BulkString(""));
        Assert.NotEqual(RespValue.NullArray, RespValue.Array());
    }
}
