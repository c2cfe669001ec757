using KubeCache.CacheNode.Storage;
using KubeCache.Protocol;

namespace KubeCache.CacheNode.Resp.Commands;

/// <summary>
/// Redis's hash family. A hash is one store entry of <see cref="ValueKind.Hash"/> whose value is
/// its <see cref="HashFields"/> encoding, or a <see cref="SegmentedHash"/> when large, read and
/// changed through <see cref="HashValue"/>; a string key answers WRONGTYPE, a missing key reads as
/// an empty hash, and a hash left with no field is removed.
/// </summary>
internal sealed partial class HashCommands(CacheStore store)
{
    public static IEnumerable<RespCommandSpec> Specs(CacheStore store)
    {
        var c = new HashCommands(store);
        return
        [
            new("HGET", 3, c.Get) { Keys = KeyLayout.First, ReadOnly = true },
            new("HMGET", -3, c.MGet) { Keys = KeyLayout.First, ReadOnly = true },
            new("HGETALL", 2, s => c.WriteAll(s, fields: true, values: true)) { Keys = KeyLayout.First, ReadOnly = true },
            new("HKEYS", 2, s => c.WriteAll(s, fields: true, values: false)) { Keys = KeyLayout.First, ReadOnly = true },
            new("HVALS", 2, s => c.WriteAll(s, fields: false, values: true)) { Keys = KeyLayout.First, ReadOnly = true },
            new("HLEN", 2, c.Length) { Keys = KeyLayout.First, ReadOnly = true },
            new("HEXISTS", 3, c.Exists) { Keys = KeyLayout.First, ReadOnly = true },
            new("HSTRLEN", 3, c.StrLen) { Keys = KeyLayout.First, ReadOnly = true },
            new("HSET", -4, s => c.Set(s, "hset")) { Keys = KeyLayout.First },
            new("HMSET", -4, s => c.Set(s, "hmset")) { Keys = KeyLayout.First },
            new("HSETNX", 4, c.SetNx) { Keys = KeyLayout.First },
            new("HDEL", -3, c.Delete) { Keys = KeyLayout.First },
            new("HINCRBY", 4, c.IncrementBy) { Keys = KeyLayout.First },
            new("HINCRBYFLOAT", 4, c.IncrementByFloat) { Keys = KeyLayout.First },
            new("HSCAN", -3, c.Scan) { Keys = KeyLayout.First, ReadOnly = true },
            new("HRANDFIELD", -2, null, c.RandomFieldAsync) { Keys = KeyLayout.First, ReadOnly = true },
        ];
    }

    /// <summary>
    /// Reads the hash at argument 1 (a missing key reads as empty, <paramref name="found"/> false):
    /// false when the key holds a string, with WRONGTYPE written.
    /// </summary>
    private bool TryRead(RespSession session, out HashValue hash, out bool found)
    {
        StoreStatus status = store.GetHash(session.Command[1], out hash);
        found = status == StoreStatus.Ok;
        return found || !RespErrors.TryWriteStoreError(session, status, store);
    }

    private void Get(RespSession session)
    {
        if (TryRead(session, out HashValue hash, out _))
        {
            WriteField(session, hash, session.Command[2]);
        }
    }

    private void MGet(RespSession session)
    {
        if (!TryRead(session, out HashValue hash, out _))
        {
            return;
        }

        RespCommand command = session.Command;
        RespWriter.WriteArrayHeader(session.Output, command.Count - 2);
        for (int i = 2; i < command.Count; i++)
        {
            WriteField(session, hash, command[i]);
        }
    }

    private static void WriteField(RespSession session, HashValue hash, ReadOnlySpan<byte> field)
    {
        if (hash.TryGet(field, out ReadOnlySpan<byte> value))
        {
            RespWriter.WriteBulkString(session.Output, value);
        }
        else
        {
            session.WriteNull();
        }
    }

    /// <summary>HGETALL (a map in RESP3, a flat array in RESP2), HKEYS and HVALS, in the hash's order.</summary>
    private void WriteAll(RespSession session, bool fields, bool values)
    {
        if (!TryRead(session, out HashValue hash, out _))
        {
            return;
        }

        int count = hash.Count;
        if (fields && values)
        {
            RespWriter.WriteMapHeader(session.Output, count, session.Protocol);
        }
        else
        {
            RespWriter.WriteArrayHeader(session.Output, count);
        }

        foreach (HashFields.Pair pair in hash)
        {
            WritePair(session, pair, fields, values);
        }
    }

    private static void WritePair(RespSession session, HashFields.Pair pair, bool field, bool value)
    {
        if (field)
        {
            RespWriter.WriteBulkString(session.Output, pair.Field);
        }

        if (value)
        {
            RespWriter.WriteBulkString(session.Output, pair.Value);
        }
    }

    private void Length(RespSession session)
    {
        if (TryRead(session, out HashValue hash, out _))
        {
            RespWriter.WriteInteger(session.Output, hash.Count);
        }
    }

    private void Exists(RespSession session)
    {
        if (TryRead(session, out HashValue hash, out _))
        {
            session.Output.Write(hash.TryGet(session.Command[2], out _) ? RespReplies.One : RespReplies.Zero);
        }
    }

    private void StrLen(RespSession session)
    {
        if (TryRead(session, out HashValue hash, out _))
        {
            RespWriter.WriteInteger(session.Output, hash.TryGet(session.Command[2], out ReadOnlySpan<byte> value) ? value.Length : 0);
        }
    }
}
