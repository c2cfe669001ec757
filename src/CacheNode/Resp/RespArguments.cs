using KubeCache.Protocol;

namespace KubeCache.CacheNode.Resp;

/// <summary>Argument helpers shared by the command handlers; failures reply with the matching error.</summary>
internal static class RespArguments
{
    /// <summary>Parses argument <paramref name="index"/> as an integer, replying with an error when it is not one.</summary>
    public static bool TryInteger(RespSession session, int index, out long value)
    {
        if (RespInteger.TryParse(session.Command[index], out value))
        {
            return true;
        }

        RespErrors.NotInteger(session);
        return false;
    }

    public static bool Is(RespSession session, int index, ReadOnlySpan<byte> upperName) =>
        session.Command.ArgumentIs(index, upperName);
}
