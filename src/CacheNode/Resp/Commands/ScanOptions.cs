using KubeCache.Protocol;

namespace KubeCache.CacheNode.Resp.Commands;

/// <summary>The options SCAN and HSCAN share: [MATCH pattern] [COUNT count], and SCAN's [TYPE type].</summary>
internal readonly record struct ScanOptions(byte[]? Pattern, long Count, byte[]? Type)
{
    /// <summary>COUNT when none is given: 10, as in Redis.</summary>
    private const long DefaultCount = 10;

    /// <summary>Reads the options from argument <paramref name="first"/> on; false when they are wrong (the error written, with Redis's wording).</summary>
    public static bool TryParse(RespSession session, int first, bool allowType, out ScanOptions options)
    {
        options = new ScanOptions(null, DefaultCount, null);
        RespCommand command = session.Command;
        for (int i = first; i < command.Count; i += 2)
        {
            if (i + 1 >= command.Count)
            {
                RespErrors.Syntax(session);
                return false;
            }

            if (RespArguments.Is(session, i, "MATCH"u8))
            {
                options = options with { Pattern = command[i + 1].ToArray() };
            }
            else if (RespArguments.Is(session, i, "COUNT"u8))
            {
                if (!RespArguments.TryInteger(session, i + 1, out long count))
                {
                    return false;
                }

                if (count < 1)
                {
                    RespErrors.Syntax(session);
                    return false;
                }

                options = options with { Count = count };
            }
            else if (allowType && RespArguments.Is(session, i, "TYPE"u8))
            {
                options = options with { Type = command[i + 1].ToArray() };
            }
            else
            {
                RespErrors.Syntax(session);
                return false;
            }
        }

        return true;
    }

    public bool Matches(ReadOnlySpan<byte> name) => Pattern is null || GlobPattern.IsMatch(Pattern, name);

    /// <summary>Parses SCAN's and HSCAN's cursor, replying "invalid cursor" as Redis does when it is not one.</summary>
    public static bool TryCursor(RespSession session, int index, out ulong cursor)
    {
        if (ulong.TryParse(session.Command[index], out cursor))
        {
            return true;
        }

        RespErrors.Write(session, "ERR invalid cursor");
        return false;
    }
}
