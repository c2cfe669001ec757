using KubeCache.CacheNode.Storage;
using KubeCache.Protocol;

namespace KubeCache.CacheNode.Resp.Commands;

/// <summary>GETSET, MSETNX, GETRANGE/SUBSTR, SETRANGE and INCRBYFLOAT.</summary>
internal sealed partial class StringCommands
{
    /// <summary>GETSET key value: SET … GET, whose new value drops the old TTL.</summary>
    private void GetSet(RespSession session)
    {
        RespCommand command = session.Command;
        StoreStatus status = store.Set(command[1], command[2], Expiry.Default, SetCondition.Always, out ReadOnlyMemory<byte>? previous);
        if (!RespErrors.TryWriteStoreError(session, status, store, command[1].Length, command[2].Length))
        {
            WriteOptional(session, previous);
        }
    }

    /// <summary>MSETNX key value [key value …]: sets every pair, or none when any key exists, atomically.</summary>
    private void MSetNx(RespSession session)
    {
        RespCommand command = session.Command;
        if (!PairsWithinLimits(session, "msetnx"))
        {
            return;
        }

        var keys = new List<byte[]>(command.Count / 2);
        for (int i = 1; i < command.Count; i += 2)
        {
            keys.Add(command[i].ToArray());
        }

        using ShardLocks locks = store.LockShards(keys);
        for (int i = 1; i < command.Count; i += 2)
        {
            if (store.Exists(command[i]))
            {
                session.Output.Write(RespReplies.Zero);
                return;
            }
        }

        if (SetPairs(session))
        {
            session.Output.Write(RespReplies.One);
        }
    }

    /// <summary>GETRANGE key start end (and SUBSTR): the bytes between two inclusive offsets, negative ones counted from the end.</summary>
    private void GetRange(RespSession session)
    {
        if (!RespArguments.TryInteger(session, 2, out long start) || !RespArguments.TryInteger(session, 3, out long end))
        {
            return;
        }

        if (!TryRead(session, 1, out StringValue value, out _))
        {
            return;
        }

        bool any = ByteRange.TryClamp(start, end, value.Length, emptyWhenBothNegativeAndReversed: true, out long from, out long to);
        WriteBulk(session, value, any ? (int)from : 0, any ? (int)(to - from + 1) : 0);
    }

    /// <summary>SETRANGE key offset value: overwrites from the offset, padding with zero bytes; answers the new length.</summary>
    private void SetRange(RespSession session)
    {
        RespCommand command = session.Command;
        if (!RespArguments.TryInteger(session, 2, out long offset))
        {
            return;
        }

        if (offset < 0)
        {
            RespErrors.Write(session, "ERR offset is out of range");
            return;
        }

        var edit = new RangeEdit { Offset = offset, Value = command[3], Limit = store.Options.MaxValueBytes };
        StoreStatus status = store.EditString(command[1], ref edit, static (StringValue current, ref RangeEdit e, out Replacement replacement) =>
        {
            replacement = Replacement.None;
            // An offset past the limit is refused whatever follows it; adding to it could overflow.
            long end = e.Offset > e.Limit ? e.Offset : e.Offset + e.Value.Length;
            e.Length = e.Value.IsEmpty ? current.Length : Math.Max(current.Length, end);
            if (e.Value.IsEmpty || e.Length > e.Limit)
            {
                return e.Length > e.Limit ? StoreStatus.ValueTooLarge : StoreStatus.Ok;
            }

            replacement = current.Overwritten((int)e.Offset, e.Value);
            return StoreStatus.Ok;
        });
        if (!RespErrors.TryWriteStoreError(session, status, store, command[1].Length, edit.Length))
        {
            RespWriter.WriteInteger(session.Output, edit.Length);
        }
    }

    /// <summary>INCRBYFLOAT key increment: the key keeps its TTL; the reply is the new value as text.</summary>
    private void IncrementByFloat(RespSession session)
    {
        RespCommand command = session.Command;
        var edit = new FloatEdit { Increment = command[2] };
        StoreStatus status = store.Edit(command[1], ValueKind.String, ref edit, static (ReadOnlySpan<byte> current, bool exists, ref FloatEdit e, out Replacement replacement) =>
        {
            StoreStatus sum = FloatText.TryAdd(exists ? current : "0"u8, e.Increment, out e.Result);
            replacement = e.Result is { } value ? Replacement.Of(value) : Replacement.None;
            return sum;
        });
        if (!RespErrors.TryWriteStoreError(session, status, store, command[1].Length, edit.Result?.Length ?? 0))
        {
            RespWriter.WriteBulkString(session.Output, edit.Result);
        }
    }

    /// <summary>Checks every pair of MSET or MSETNX against the limits before any is written.</summary>
    private bool PairsWithinLimits(RespSession session, string name)
    {
        RespCommand command = session.Command;
        if (command.Count % 2 == 0)
        {
            RespErrors.WrongArity(session, name);
            return false;
        }

        StoreOptions limits = store.Options;
        for (int i = 1; i < command.Count; i += 2)
        {
            StoreStatus check = command[i].Length > limits.MaxKeyBytes ? StoreStatus.KeyTooLarge
                : command[i + 1].Length > limits.MaxValueBytes ? StoreStatus.ValueTooLarge
                : StoreStatus.Ok;
            if (RespErrors.TryWriteStoreError(session, check, store, command[i].Length, command[i + 1].Length))
            {
                return false;
            }
        }

        return true;
    }

    private ref struct RangeEdit
    {
        public long Offset;
        public ReadOnlySpan<byte> Value;
        public int Limit;
        public long Length;
    }

    private ref struct FloatEdit
    {
        public ReadOnlySpan<byte> Increment;
        public byte[]? Result;
    }
}
