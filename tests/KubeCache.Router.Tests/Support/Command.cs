using System.Text;
using KubeCache.Protocol;

namespace KubeCache.Router.Tests.Support;

/// <summary>Builds commands and checks replies in the shape the upstream layer takes and returns.</summary>
internal static class Command
{
    public static ReadOnlyMemory<byte>[] Of(params string[] arguments) =>
        [.. arguments.Select(a => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(a))];

    public static void AssertBulk(string expected, RespValue reply)
    {
        Assert.Equal(RespValueKind.BulkString, reply.Kind);
        Assert.Equal(expected, reply.AsString());
    }

    public static void AssertOk(RespValue reply)
    {
        Assert.Equal(RespValueKind.SimpleString, reply.Kind);
        Assert.Equal("OK", reply.AsString());
    }
}
