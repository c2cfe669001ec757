using KubeCache.CacheNode.Storage;
using KubeCache.Protocol;

namespace KubeCache.CacheNode.Resp.Commands;

/// <summary>GET, SET and their variants, the rest of Redis's string family, and PUT (the reference implementation's SET).</summary>
internal sealed partial class StringCommands(CacheStore store)
{
    /// <summary>
    /// "No value" for <see cref="WriteOptional"/>. A bare <c>null</c> in <c>found ? value : null</c>
    /// converts through <c>byte[]</c> to an empty memory, and the client would get "" instead of nil.
    /// </summary>
    private static readonly ReadOnlyMemory<byte>? s_noValue = null;

    public static IEnumerable<RespCommandSpec> Specs(CacheStore store)
    {
        var c = new StringCommands(store);
        return
        [
            new("GET", 2, c.Get) { Keys = KeyLayout.First, ReadOnly = true },
            new("SET", -3, c.Set) { Keys = KeyLayout.First },
            new("PUT", 3, c.Put) { Keys = KeyLayout.First },
            new("SETNX", 3, c.SetNx) { Keys = KeyLayout.First },
            new("SETEX", 4, s => c.SetWithTtl(s, "setex", 1000)) { Keys = KeyLayout.First },
            new("PSETEX", 4, s => c.SetWithTtl(s, "psetex", 1)) { Keys = KeyLayout.First },
            new("GETDEL", 2, c.GetDel) { Keys = KeyLayout.First },
            new("GETEX", -2, c.GetEx) { Keys = KeyLayout.First },
            new("MGET", -2, null, c.MGet) { Keys = KeyLayout.All, ReadOnly = true },
            new("MSET", -3, c.MSet) { Keys = KeyLayout.Pairs },
            new("APPEND", 3, c.Append) { Keys = KeyLayout.First },
            new("STRLEN", 2, c.StrLen) { Keys = KeyLayout.First, ReadOnly = true },
            new("INCR", 2, s => c.IncrementBy(s, 1)) { Keys = KeyLayout.First },
            new("DECR", 2, s => c.IncrementBy(s, -1)) { Keys = KeyLayout.First },
            new("INCRBY", 3, s => c.IncrementByArgument(s, negate: false)) { Keys = KeyLayout.First },
            new("DECRBY", 3, s => c.IncrementByArgument(s, negate: true)) { Keys = KeyLayout.First },
            new("INCRBYFLOAT", 3, c.IncrementByFloat) { Keys = KeyLayout.First },
            new("GETSET", 3, c.GetSet) { Keys = KeyLayout.First },
            new("MSETNX", -3, c.MSetNx) { Keys = KeyLayout.Pairs },
            new("GETRANGE", 4, c.GetRange) { Keys = KeyLayout.First, ReadOnly = true },
            new("SUBSTR", 4, c.GetRange) { Keys = KeyLayout.First, ReadOnly = true },
            new("SETRANGE", 4, c.SetRange) { Keys = KeyLayout.First },
            new("SETBIT", 4, c.SetBit) { Keys = KeyLayout.First },
            new("GETBIT", 3, c.GetBit) { Keys = KeyLayout.First, ReadOnly = true },
            new("BITCOUNT", -2, c.BitCount) { Keys = KeyLayout.First, ReadOnly = true },
            new("BITPOS", -3, c.BitPos) { Keys = KeyLayout.First, ReadOnly = true },
            new("LCS", -3, c.Lcs) { Keys = KeyLayout.Two, ReadOnly = true },
        ];
    }

    private void Get(RespSession session)
    {
        if (!TryRead(session, 1, out StringValue value, out bool found))
        {
            return;
        }

        if (found)
        {
            WriteBulk(session, value, 0, value.Length);
        }
        else
        {
            session.WriteNull();
        }
    }

    /// <summary>The <paramref name="count"/> bytes of <paramref name="value"/> from <paramref name="start"/> as a bulk string, a chunked string's chunk by chunk.</summary>
    private static void WriteBulk(RespSession session, StringValue value, int start, int count)
    {
        if (value.Chunks is null)
        {
            RespWriter.WriteBulkString(session.Output, value.ToMemory().Span.Slice(start, count));
            return;
        }

        RespWriter.WriteBulkStringHeader(session.Output, count);
        foreach (ReadOnlyMemory<byte> piece in value.Pieces(start, count))
        {
            session.Output.Write(piece.Span);
        }

        RespWriter.WriteBulkStringEnd(session.Output);
    }

    /// <summary>
    /// Reads the string at argument <paramref name="index"/>: false when the key holds another kind
    /// (WRONGTYPE written); <paramref name="found"/> is false for a missing key, whose value reads as empty.
    /// </summary>
    private bool TryRead(RespSession session, int index, out StringValue value, out bool found)
    {
        StoreStatus status = store.GetString(session.Command[index], out value);
        found = status == StoreStatus.Ok;
        return found || !RespErrors.TryWriteStoreError(session, status, store);
    }

    /// <summary>SET key value [NX | XX] [GET] [EX s | PX ms | EXAT s | PXAT ms | KEEPTTL].</summary>
    private void Set(RespSession session)
    {
        RespCommand command = session.Command;
        SetCondition condition = SetCondition.Always;
        Expiry? expiry = null;
        bool get = false;
        for (int i = 3; i < command.Count;)
        {
            if (ExpiryOptions.TryParse(session, i, "set", allowKeep: true, ref expiry, out int consumed))
            {
                if (consumed == 0)
                {
                    return;
                }

                i += consumed;
                continue;
            }

            bool nx = RespArguments.Is(session, i, "NX"u8);
            if ((nx || RespArguments.Is(session, i, "XX"u8)) && condition == SetCondition.Always)
            {
                condition = nx ? SetCondition.IfAbsent : SetCondition.IfPresent;
            }
            else if (RespArguments.Is(session, i, "GET"u8) && !get)
            {
                get = true;
            }
            else
            {
                RespErrors.Syntax(session);
                return;
            }

            i++;
        }

        ReadOnlyMemory<byte>? previous = null;
        StoreStatus status = get
            ? store.Set(command[1], command[2], expiry ?? Expiry.Default, condition, out previous)
            : store.Set(command[1], command[2], expiry ?? Expiry.Default, condition);
        if (RespErrors.TryWriteStoreError(session, status, store, command[1].Length, command[2].Length))
        {
            return;
        }

        if (get)
        {
            WriteOptional(session, previous);
        }
        else
        {
            if (status == StoreStatus.Ok)
            {
                session.Output.Write(RespReplies.Ok);
            }
            else
            {
                session.WriteNull();
            }
        }
    }

    private void Put(RespSession session)
    {
        RespCommand command = session.Command;
        StoreStatus status = store.Set(command[1], command[2]);
        if (!RespErrors.TryWriteStoreError(session, status, store, command[1].Length, command[2].Length))
        {
            session.Output.Write(RespReplies.Ok);
        }
    }

    private void SetNx(RespSession session)
    {
        RespCommand command = session.Command;
        StoreStatus status = store.Set(command[1], command[2], Expiry.Default, SetCondition.IfAbsent);
        if (!RespErrors.TryWriteStoreError(session, status, store, command[1].Length, command[2].Length))
        {
            session.Output.Write(status == StoreStatus.Ok ? RespReplies.One : RespReplies.Zero);
        }
    }

    /// <summary>SETEX key seconds value and PSETEX key milliseconds value.</summary>
    private void SetWithTtl(RespSession session, string name, long scale)
    {
        RespCommand command = session.Command;
        if (!RespArguments.TryInteger(session, 2, out long amount))
        {
            return;
        }

        if (amount <= 0 || amount > long.MaxValue / scale)
        {
            RespErrors.InvalidExpireTime(session, name);
            return;
        }

        StoreStatus status = store.Set(command[1], command[3], Expiry.After(amount * scale));
        if (!RespErrors.TryWriteStoreError(session, status, store, command[1].Length, command[3].Length))
        {
            session.Output.Write(RespReplies.Ok);
        }
    }

    private void GetDel(RespSession session)
    {
        StoreStatus status = store.Delete(session.Command[1], out ReadOnlyMemory<byte> value);
        if (!RespErrors.TryWriteStoreError(session, status, store))
        {
            WriteOptional(session, status == StoreStatus.Ok ? value : s_noValue);
        }
    }

    /// <summary>GETEX key [EX s | PX ms | EXAT s | PXAT ms | PERSIST].</summary>
    private void GetEx(RespSession session)
    {
        RespCommand command = session.Command;
        Expiry? expiry = null;
        for (int i = 2; i < command.Count;)
        {
            if (!ExpiryOptions.TryParse(session, i, "getex", allowKeep: false, ref expiry, out int consumed))
            {
                RespErrors.Syntax(session);
                return;
            }

            if (consumed == 0)
            {
                return;
            }

            i += consumed;
        }

        StoreStatus status = store.GetAndSetExpiry(command[1], expiry ?? Expiry.Keep, out ReadOnlyMemory<byte> value);
        if (!RespErrors.TryWriteStoreError(session, status, store))
        {
            WriteOptional(session, status == StoreStatus.Ok ? value : s_noValue);
        }
    }

    /// <summary>A bulk string, or the protocol's null when there is no value.</summary>
    internal static void WriteOptional(RespSession session, ReadOnlyMemory<byte>? value)
    {
        if (value is { } bytes)
        {
            RespWriter.WriteBulkString(session.Output, bytes.Span);
        }
        else
        {
            session.WriteNull();
        }
    }
}
