using KubeCache.CacheNode.Storage;
using KubeCache.Protocol;

namespace KubeCache.CacheNode.Resp.Commands;

/// <summary>Commands about keys rather than values, whatever kind they hold: DEL, EXISTS, the EXPIRE family, TTL, TYPE, SCAN.</summary>
internal sealed partial class KeyCommands(CacheStore store)
{
    public static IEnumerable<RespCommandSpec> Specs(CacheStore store)
    {
        var c = new KeyCommands(store);
        return
        [
            new("DEL", -2, c.Delete) { Keys = KeyLayout.All },
            new("UNLINK", -2, c.Delete) { Keys = KeyLayout.All },
            new("EXISTS", -2, c.Exists) { Keys = KeyLayout.All, ReadOnly = true },
            new("EXPIRE", -3, s => c.Expire(s, "expire", ExpiryKind.AfterMilliseconds, 1000)) { Keys = KeyLayout.First },
            new("PEXPIRE", -3, s => c.Expire(s, "pexpire", ExpiryKind.AfterMilliseconds, 1)) { Keys = KeyLayout.First },
            new("EXPIREAT", -3, s => c.Expire(s, "expireat", ExpiryKind.AtUnixMilliseconds, 1000)) { Keys = KeyLayout.First },
            new("PEXPIREAT", -3, s => c.Expire(s, "pexpireat", ExpiryKind.AtUnixMilliseconds, 1)) { Keys = KeyLayout.First },
            new("TTL", 2, s => c.TimeToLive(s, 1000)) { Keys = KeyLayout.First, ReadOnly = true },
            new("PTTL", 2, s => c.TimeToLive(s, 1)) { Keys = KeyLayout.First, ReadOnly = true },
            new("EXPIRETIME", 2, s => c.ExpireTime(s, 1000)) { Keys = KeyLayout.First, ReadOnly = true },
            new("PEXPIRETIME", 2, s => c.ExpireTime(s, 1)) { Keys = KeyLayout.First, ReadOnly = true },
            new("PERSIST", 2, c.Persist) { Keys = KeyLayout.First },
            new("TYPE", 2, c.Type) { Keys = KeyLayout.First, ReadOnly = true },
            new("SCAN", -2, null, c.ScanAsync) { ReadOnly = true },
            new("TOUCH", -2, c.Exists) { Keys = KeyLayout.All, ReadOnly = true },
            new("RENAME", 3, s => c.Rename(s, onlyIfAbsent: false)) { Keys = KeyLayout.Two },
            new("RENAMENX", 3, s => c.Rename(s, onlyIfAbsent: true)) { Keys = KeyLayout.Two },
            new("COPY", -3, c.Copy) { Keys = KeyLayout.Two },
            new("KEYS", 2, null, c.KeysAsync) { ReadOnly = true },
            new("RANDOMKEY", 1, c.RandomKey) { ReadOnly = true },
            new("OBJECT", -2, c.Object) { Keys = KeyLayout.Second, ReadOnly = true },
            new("MEMORY", -2, c.Memory) { Keys = KeyLayout.Second, ReadOnly = true },
        ];
    }

    private void Delete(RespSession session)
    {
        RespCommand command = session.Command;
        long deleted = 0;
        for (int i = 1; i < command.Count; i++)
        {
            deleted += store.Delete(command[i]) == StoreStatus.Ok ? 1 : 0;
        }

        RespWriter.WriteInteger(session.Output, deleted);
    }

    private void Exists(RespSession session)
    {
        RespCommand command = session.Command;
        long found = 0;
        for (int i = 1; i < command.Count; i++)
        {
            found += store.Exists(command[i]) ? 1 : 0;
        }

        RespWriter.WriteInteger(session.Output, found);
    }

    /// <summary>EXPIRE key seconds [NX | XX | GT | LT] (and variants): 1 when the TTL was set, 0 when the key is missing or a condition failed.</summary>
    private void Expire(RespSession session, string name, ExpiryKind kind, long scale)
    {
        RespCommand command = session.Command;
        if (!TryExpiryCondition(session, out ExpiryCondition condition) || !RespArguments.TryInteger(session, 2, out long amount))
        {
            return;
        }

        if (amount > long.MaxValue / scale || amount < long.MinValue / scale)
        {
            RespErrors.InvalidExpireTime(session, name);
            return;
        }

        StoreStatus status = store.SetExpiry(command[1], new Expiry(kind, amount * scale), condition);
        session.Output.Write(status == StoreStatus.Ok ? RespReplies.One : RespReplies.Zero);
    }

    /// <summary>Reads EXPIRE's options, which Redis checks before the time, with its error texts.</summary>
    private static bool TryExpiryCondition(RespSession session, out ExpiryCondition condition)
    {
        condition = ExpiryCondition.Always;
        for (int i = 3; i < session.Command.Count; i++)
        {
            if (RespArguments.Is(session, i, "NX"u8)) { condition |= ExpiryCondition.IfNone; }
            else if (RespArguments.Is(session, i, "XX"u8)) { condition |= ExpiryCondition.IfSet; }
            else if (RespArguments.Is(session, i, "GT"u8)) { condition |= ExpiryCondition.IfLater; }
            else if (RespArguments.Is(session, i, "LT"u8)) { condition |= ExpiryCondition.IfEarlier; }
            else
            {
                RespErrors.Write(session, "ERR Unsupported option " + System.Text.Encoding.UTF8.GetString(session.Command[i]));
                return false;
            }
        }

        if (condition.HasFlag(ExpiryCondition.IfNone) && condition != ExpiryCondition.IfNone)
        {
            RespErrors.Write(session, "ERR NX and XX, GT or LT options at the same time are not compatible");
            return false;
        }

        if (condition.HasFlag(ExpiryCondition.IfLater | ExpiryCondition.IfEarlier))
        {
            RespErrors.Write(session, "ERR GT and LT options at the same time are not compatible");
            return false;
        }

        return true;
    }

    /// <summary>TTL and PTTL: -2 for a missing key, -1 for one without TTL; TTL rounds to the nearest second.</summary>
    private void TimeToLive(RespSession session, long scale)
    {
        long reply = store.TimeToLive(session.Command[1], out long ms) != StoreStatus.Ok ? -2
            : ms < 0 ? -1
            : (ms + (scale / 2)) / scale;
        RespWriter.WriteInteger(session.Output, reply);
    }

    /// <summary>EXPIRETIME and PEXPIRETIME: the absolute Unix expiry, -2 for a missing key, -1 for one without TTL.</summary>
    private void ExpireTime(RespSession session, long scale)
    {
        long reply = store.Peek(session.Command[1], out _, out _, out long expiresAt) != StoreStatus.Ok ? -2
            : expiresAt == 0 ? -1
            : expiresAt / scale;
        RespWriter.WriteInteger(session.Output, reply);
    }

    private void Persist(RespSession session) =>
        session.Output.Write(store.Persist(session.Command[1]) == StoreStatus.Ok ? RespReplies.One : RespReplies.Zero);

    private void Type(RespSession session) =>
        RespWriter.WriteSimpleString(
            session.Output, store.Peek(session.Command[1], out _, out ValueKind kind, out _) == StoreStatus.Ok ? ValueKindNames.Of(kind).Span : "none"u8);

    /// <summary>SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]: TYPE names a kind TYPE answers; any other name matches no key.</summary>
    private async ValueTask ScanAsync(RespSession session)
    {
        if (!ScanOptions.TryCursor(session, 1, out ulong cursor) || !ScanOptions.TryParse(session, 2, allowType: true, out ScanOptions options))
        {
            return;
        }

        var keys = new List<byte[]>();
        ulong next = store.Scan(cursor, (int)Math.Min(options.Count, int.MaxValue), keys);
        keys.RemoveAll(key => !options.Matches(key) || (options.Type is { } type && !IsOfType(key, type)));
        RespWriter.WriteArrayHeader(session.Output, 2);
        RespWriter.WriteBulkString(session.Output, System.Text.Encoding.ASCII.GetBytes(next.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        RespWriter.WriteArrayHeader(session.Output, keys.Count);
        foreach (byte[] key in keys)
        {
            RespWriter.WriteBulkString(session.Output, key);
            await session.FlushIfFullAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Whether the key is live and of the kind <paramref name="type"/> names (SCAN's TYPE).</summary>
    private bool IsOfType(byte[] key, byte[] type) =>
        ValueKindNames.TryParse(type, out ValueKind wanted)
        && store.Peek(key, out _, out ValueKind kind, out _) == StoreStatus.Ok
        && kind == wanted;
}
