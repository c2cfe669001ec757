using KubeCache.CacheNode.Storage;
using KubeCache.Protocol;

namespace KubeCache.CacheNode.Resp.Commands;

/// <summary>Multi-key and read-modify-write string commands.</summary>
internal sealed partial class StringCommands
{
    private async ValueTask MGet(RespSession session)
    {
        int count = session.Command.Count;
        RespWriter.WriteArrayHeader(session.Output, count - 1);
        for (int i = 1; i < count; i++)
        {
            Get(session, i);
            await session.FlushIfFullAsync().ConfigureAwait(false);
        }
    }

    private void Get(RespSession session, int index)
    {
        if (store.Get(session.Command[index], out ReadOnlyMemory<byte> value) == StoreStatus.Ok)
        {
            RespWriter.WriteBulkString(session.Output, value.Span);
        }
        else
        {
            session.WriteNull();
        }
    }

    /// <summary>MSET key value [key value …]: checks every pair against the limits before writing any.</summary>
    private void MSet(RespSession session)
    {
        if (!PairsWithinLimits(session, "mset"))
        {
            return;
        }

        if (SetPairs(session))
        {
            session.Output.Write(RespReplies.Ok);
        }
    }

    /// <summary>Stores every key-value pair of MSET or MSETNX; false (the error written) at the first the store refuses.</summary>
    private bool SetPairs(RespSession session)
    {
        RespCommand command = session.Command;
        for (int i = 1; i < command.Count; i += 2)
        {
            StoreStatus status = store.Set(command[i], command[i + 1]);
            if (RespErrors.TryWriteStoreError(session, status, store, command[i].Length, command[i + 1].Length))
            {
                return false;
            }
        }

        return true;
    }

    private void Append(RespSession session)
    {
        RespCommand command = session.Command;
        StoreStatus status = store.Append(command[1], command[2], out long length);
        if (!RespErrors.TryWriteStoreError(session, status, store, command[1].Length, length))
        {
            RespWriter.WriteInteger(session.Output, length);
        }
    }

    private void StrLen(RespSession session)
    {
        // Reads through Get, so STRLEN counts as a hit or a miss.
        if (TryRead(session, 1, out StringValue value, out _))
        {
            RespWriter.WriteInteger(session.Output, value.Length);
        }
    }

    private void IncrementByArgument(RespSession session, bool negate)
    {
        if (!RespArguments.TryInteger(session, 2, out long delta))
        {
            return;
        }

        if (negate && delta == long.MinValue)
        {
            RespErrors.TryWriteStoreError(session, StoreStatus.Overflow, store);
            return;
        }

        IncrementBy(session, negate ? -delta : delta);
    }

    private void IncrementBy(RespSession session, long delta)
    {
        StoreStatus status = store.IncrementBy(session.Command[1], delta, out long result);
        if (!RespErrors.TryWriteStoreError(session, status, store, session.Command[1].Length))
        {
            RespWriter.WriteInteger(session.Output, result);
        }
    }
}
