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

    public static void Nil(RespValue reply) => Assert.True(reply.IsNull, $"Expected nil, got {reply}");

    public static void Integer(long expected, RespValue reply)
    {
        Assert.True(reply.Kind == RespValueKind.Integer, $"Expected :{expected}, got {reply}");
        Assert.Equal(expected, reply.AsInt64());
    }

    /// <summary>An error reply whose text starts with <paramref name="prefix"/>.</summary>
    public static void Error(string prefix, RespValue reply)
    {
        Assert.True(reply.IsError, $"Expected an error starting '{prefix}', got {reply}");
        Assert.StartsWith(prefix, reply.AsString(), StringComparison.Ordinal);
    }

    /// <summary>An array reply whose items, as text, are <paramref name="expected"/> (null for nil).</summary>
    public static void Items(RespValue reply, params string?[] expected) =>
        Assert.Equal<IEnumerable<string?>>(expected, Strings(reply));

    /// <summary>The items of an array reply as text, nil as null, a nested array as <c>[n items]</c>.</summary>
    public static string?[] Strings(RespValue reply)
    {
        Assert.True(reply.Kind == RespValueKind.Array, $"Expected an array, got {reply}");
        return [.. reply.Items.Select(i => i.Kind == RespValueKind.Array ? $"[{i.Items.Count} items]" : i.AsString())];
    }
}
