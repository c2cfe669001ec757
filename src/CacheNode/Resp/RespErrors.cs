using System.Text;
using KubeCache.CacheNode.Storage;
using KubeCache.Protocol;

namespace KubeCache.CacheNode.Resp;

/// <summary>
/// Every error reply the node sends over RESP, in one place so the wording stays Redis-shaped
/// and says what to fix. Each marks the session so metrics count the command as failed.
/// </summary>
internal static class RespErrors
{
    public static void Write(RespSession session, string message)
    {
        session.ErrorWritten = true;
        RespWriter.WriteError(session.Output, message);
    }

    public static void UnknownCommand(RespSession session)
    {
        RespCommand command = session.Command;
        var text = new StringBuilder("ERR unknown command '").Append(Printable(command[0])).Append("', with args beginning with:");
        for (int i = 1; i < command.Count && i <= 8; i++)
        {
            text.Append(" '").Append(Printable(command[i])).Append('\'');
        }

        Write(session, text.ToString());
    }

    public static void WrongArity(RespSession session, string name) =>
        Write(session, $"ERR wrong number of arguments for '{name.ToLowerInvariant()}' command");

    public static void Syntax(RespSession session) => Write(session, "ERR syntax error");

    public static void NotInteger(RespSession session) => Write(session, "ERR value is not an integer or out of range");

    public static void InvalidExpireTime(RespSession session, string command) =>
        Write(session, $"ERR invalid expire time in '{command}' command");

    /// <summary>Replies to a store status that is not a success; returns false when there was nothing to report.</summary>
    public static bool TryWriteStoreError(RespSession session, StoreStatus status, CacheStore store, int keyLength = 0, long valueLength = 0)
    {
        string? message = StoreStatusMessages.Describe(status, store.Options, keyLength, valueLength);
        if (message is null)
        {
            return false;
        }

        // Issue #2 asks for a WRONGTYPE code on INCR of a non-integer; the message keeps Redis's wording.
        string code = status switch
        {
            StoreStatus.EntryTooLarge or StoreStatus.NoRoom => "OOM ",
            StoreStatus.NotInteger => "WRONGTYPE ",
            _ => "ERR ",
        };
        Write(session, code + message);
        return true;
    }

    /// <summary>Bytes as text for an error message: printable ASCII kept, the rest escaped, long input cut.</summary>
    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder();
        foreach (byte b in bytes[..Math.Min(bytes.Length, 128)])
        {
            text.Append(b is >= 0x20 and < 0x7f and not (byte)'\'' ? (char)b : $"\\x{b:x2}");
        }

        return text.ToString();
    }
}
