using KubeCache.CacheNode.Storage;
using KubeCache.ClientContract.Resp;
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

    public static void Write(RespSession session, RespValue error)
    {
        session.ErrorWritten = true;
        RespWriter.WriteValue(session.Output, error);
    }

    public static void UnknownCommand(RespSession session) => Write(session, RespErrorReplies.UnknownCommand(session.Command));

    public static void WrongArity(RespSession session, string name) => Write(session, RespErrorReplies.WrongArity(name));

    public static void Syntax(RespSession session) => Write(session, RespErrorReplies.Syntax);

    public static void NotInteger(RespSession session) => Write(session, RespErrorReplies.NotInteger);

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

        // Clients match on Redis's codes: ERR for a value that is not a number, as Redis answers.
        string code = status switch
        {
            StoreStatus.EntryTooLarge or StoreStatus.NoRoom => "OOM ",
            StoreStatus.WrongType => "WRONGTYPE ",
            _ => "ERR ",
        };
        Write(session, code + message);
        return true;
    }
}
