using System.Text;
using KubeCache.Protocol;

namespace KubeCache.CacheNode.Tests.Resp.Support;

/// <summary>Assertions on replies that print the whole reply when they fail.</summary>
internal static class RespAssert
{
    public static void Ok(RespValue reply) => SimpleString("OK", reply);

    public static void SimpleString(string expected, RespValue reply)
    {
        Assert.True(reply.Kind == RespValueKind.SimpleString, $"Expected +{expected}, got {reply}");
        Assert.Equal(expected, reply.AsString());
    }

    public static void Bulk(string expected, RespValue reply) => Bulk(Encoding.UTF8.GetBytes(expected), reply);

    public static void Bulk(byte[] expected, RespValue reply)
    {
        Assert.True(reply is { Kind: RespValueKind.BulkString, IsNull: false }, $"Expected a bulk string, got {reply}");
        Assert.Equal(expected, reply.Bytes.ToArray());
    }

    public static void Nil(RespValue reply) =>
        Assert.True(reply is { Kind: RespValueKind.BulkString, IsNull: true }, $"Expected nil, got {reply}");

    public static void Integer(long expected, RespValue reply)
    {
        Assert.True(reply.Kind == RespValueKind.Integer, $"Expected :{expected}, got {reply}");
        Assert.Equal(expected, reply.AsInt64());
    }

    /// <summary>Asserts an error reply whose text starts with <paramref name="prefix"/>, and returns its text.</summary>
    public static string Error(string prefix, RespValue reply)
    {
        Assert.True(reply.IsError, $"Expected an error starting with '{prefix}', got {reply}");
        string text = reply.AsString()!;
        Assert.StartsWith(prefix, text, StringComparison.Ordinal);
        return text;
    }

    /// <summary>The elements of an array reply as text (nil as null).</summary>
    public static string?[] Strings(RespValue reply)
    {
        Assert.True(reply is { Kind: RespValueKind.Array, IsNull: false }, $"Expected an array, got {reply}");
        return reply.Items.Select(i => i.AsString()).ToArray();
    }
}
