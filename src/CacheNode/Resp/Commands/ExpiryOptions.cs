using KubeCache.CacheNode.Storage;
using KubeCache.Protocol;

namespace KubeCache.CacheNode.Resp.Commands;

/// <summary>
/// Parses the TTL options SET and GETEX share: EX seconds, PX milliseconds, EXAT and PXAT
/// (Unix time), and KEEPTTL (SET) or PERSIST (GETEX).
/// </summary>
internal static class ExpiryOptions
{
    /// <summary>
    /// Tries to read a TTL option at <paramref name="index"/>. Returns false when the argument is not
    /// a TTL option; otherwise sets <paramref name="consumed"/> (0 after an error reply was written).
    /// </summary>
    public static bool TryParse(RespSession session, int index, string commandName, bool allowKeep, ref Expiry? expiry, out int consumed)
    {
        RespCommand command = session.Command;
        consumed = 0;
        ExpiryKind kind;
        long scale;
        if (RespArguments.Is(session, index, "EX"u8)) { kind = ExpiryKind.AfterMilliseconds; scale = 1000; }
        else if (RespArguments.Is(session, index, "PX"u8)) { kind = ExpiryKind.AfterMilliseconds; scale = 1; }
        else if (RespArguments.Is(session, index, "EXAT"u8)) { kind = ExpiryKind.AtUnixMilliseconds; scale = 1000; }
        else if (RespArguments.Is(session, index, "PXAT"u8)) { kind = ExpiryKind.AtUnixMilliseconds; scale = 1; }
        else if (RespArguments.Is(session, index, allowKeep ? "KEEPTTL"u8 : "PERSIST"u8))
        {
            if (expiry is not null)
            {
                RespErrors.Syntax(session);
                return true;
            }

            expiry = allowKeep ? Expiry.Keep : Expiry.Never;
            consumed = 1;
            return true;
        }
        else
        {
            return false;
        }

        if (expiry is not null || index + 1 >= command.Count)
        {
            RespErrors.Syntax(session);
            return true;
        }

        if (!RespArguments.TryInteger(session, index + 1, out long amount))
        {
            return true;
        }

        if (amount <= 0 || amount > long.MaxValue / scale)
        {
            RespErrors.InvalidExpireTime(session, commandName);
            return true;
        }

        expiry = new Expiry(kind, amount * scale);
        consumed = 2;
        return true;
    }
}
