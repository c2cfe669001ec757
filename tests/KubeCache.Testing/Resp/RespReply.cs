using KubeCache.Protocol;

namespace KubeCache.Testing;

/// <summary>Assertions on RESP replies, each saying what came back when it fails.</summary>
public static class RespReply
{
    public static void Ok(RespValue reply) => Simple("OK", reply);

    public static void Simple(string expected, RespValue reply)
    {
        Assert.True(reply.Kind == RespValueKind.SimpleString, $"Expected +{expected}, got {reply}");
        Assert.Equal(expected, reply.AsString());
    }

    public static void Bulk(string expected, RespValue reply)
    {
        Assert.True(reply.Kind == RespValueKind.BulkString && !reply.IsNull, $"Expected bulk '{expected}', got {reply}");
        Assert.Equal(expected, reply.AsString());
    }

    /// <summary>A bulk string of exactly these bytes (binary-safe values).</summary>
    public static void Bulk(byte[] expected, RespValue reply)
    {
        Assert.True(reply.Kind == RespValueKind.BulkString && !reply.IsNull, $"Expected a bulk string, got {reply}");
        Assert.Equal(expected, reply.Bytes.ToArray());
    }

    /// <summary>The nil bulk string, <c>$-1</c>: what GET of a missing key answers in RESP2, not a nil array.</summary>
    public static void Nil(RespValue reply) =>
        Assert.True(reply is { Kind: RespValueKind.BulkString, IsNull: true }, $"Expected nil, got {reply}");

    /// <summary>The nil array, <c>*-1</c>: what EXEC answers when a watched key changed.</summary>
    public static void NilArray(RespValue reply) =>
        Assert.True(reply is { Kind: RespValueKind.Array, IsNull: true }, $"Expected a nil array, got {reply}");

    public static void Integer(long expected, RespValue reply)
    {
        Assert.True(reply.Kind == RespValueKind.Integer, $"Expected :{expected}, got {reply}");
        Assert.Equal(expected, reply.AsInt64());
    }

    /// <summary>An error reply whose text starts with <paramref name="prefix"/>; returns its text.</summary>
    public static string Error(string prefix, RespValue reply)
    {
        Assert.True(reply.IsError, $"Expected an error starting '{prefix}', got {reply}");
        string text = reply.AsString()!;
        Assert.StartsWith(prefix, text, StringComparison.Ordinal);
        return text;
    }

    /// <summary>An array reply whose items, as text, are <paramref name="expected"/> (null for nil).</summary>
    public static void Items(RespValue reply, params string?[] expected) =>
        Assert.Equal<IEnumerable<string?>>(expected, Strings(reply));

    /// <summary>The items of an array reply as text, nil as null, a nested array as <c>[n items]</c>.</summary>
    public static string?[] Strings(RespValue reply)
    {
        Assert.True(reply is { Kind: RespValueKind.Array, IsNull: false }, $"Expected an array, got {reply}");
        return [.. reply.Items.Select(i => i.Kind == RespValueKind.Array ? $"[{i.Items.Count} items]" : i.AsString())];
    }
}
