using KubeCache.CacheNode.Storage;
using KubeCache.Protocol;

namespace KubeCache.CacheNode.Resp.Commands;

/// <summary>HSCAN and HRANDFIELD, with Redis's order of checks (cursor or count, then the key, then the options).</summary>
internal sealed partial class HashCommands
{
    /// <summary>
    /// HSCAN key cursor [MATCH pattern] [COUNT count]: the whole hash in one step, cursor 0, as
    /// Redis answers for hashes in its compact encoding. A hash is bounded by --max-value-bytes, so
    /// one step is too.
    /// </summary>
    private void Scan(RespSession session)
    {
        if (!ScanOptions.TryCursor(session, 2, out _) || !TryRead(session, out HashValue hash, out bool found))
        {
            return;
        }

        // A missing key is an empty scan whatever the options say, as in Redis.
        ScanOptions options = default;
        if (found && !ScanOptions.TryParse(session, 3, allowType: false, out options))
        {
            return;
        }

        int matching = 0;
        foreach (HashFields.Pair pair in hash)
        {
            matching += options.Matches(pair.Field) ? 1 : 0;
        }

        RespWriter.WriteArrayHeader(session.Output, 2);
        RespWriter.WriteBulkString(session.Output, "0"u8);
        RespWriter.WriteArrayHeader(session.Output, matching * 2);
        foreach (HashFields.Pair pair in hash)
        {
            if (options.Matches(pair.Field))
            {
                WritePair(session, pair, field: true, value: true);
            }
        }
    }

    /// <summary>
    /// HRANDFIELD key [count [WITHVALUES]]: one field (nil for a missing key, <see cref="HashValue.RandomPair"/>); with a positive count
    /// that many distinct fields (the whole hash, in its order, when count reaches its size); with a
    /// negative one that many picks that may repeat. WITHVALUES pairs each field with its value: flat
    /// in RESP2, a two-element array per field in RESP3.
    /// </summary>
    private async ValueTask RandomFieldAsync(RespSession session)
    {
        RespCommand command = session.Command;
        long count = 1;
        bool withValues = command.Count == 4;
        if (command.Count > 2 && !RespArguments.TryInteger(session, 2, out count))
        {
            return;
        }

        if (command.Count > 4 || (withValues && !RespArguments.Is(session, 3, "WITHVALUES"u8)))
        {
            RespErrors.Syntax(session);
            return;
        }

        // Redis refuses WITHVALUES counts past half the range; the node refuses any count whose
        // reply could not be framed (an array holds at most int.MaxValue elements).
        if (count is < -(int.MaxValue / 2) or > int.MaxValue / 2)
        {
            RespErrors.Write(session, "ERR value is out of range");
            return;
        }

        if (!TryRead(session, out HashValue hash, out bool found))
        {
            return;
        }

        if (command.Count == 2)
        {
            if (found)
            {
                RespWriter.WriteBulkString(session.Output, hash.RandomPair(Random.Shared).Field);
            }
            else
            {
                session.WriteNull();
            }

            return;
        }

        (ReadOnlyMemory<byte> Field, ReadOnlyMemory<byte> Value)[] pairs = hash.ToPairs();

        bool nested = withValues && session.Protocol == RespProtocol.Resp3;
        int picks = count >= 0 ? (int)Math.Min(count, pairs.Length) : pairs.Length == 0 ? 0 : (int)-count;
        RespWriter.WriteArrayHeader(session.Output, withValues && !nested ? picks * 2 : picks);
        int[] order = count < 0 ? [] : count >= pairs.Length ? [.. Enumerable.Range(0, pairs.Length)] : DistinctPicks(pairs.Length, picks);
        for (int i = 0; i < picks; i++)
        {
            var (field, value) = pairs[count < 0 ? Random.Shared.Next(pairs.Length) : order[i]];
            if (nested)
            {
                RespWriter.WriteArrayHeader(session.Output, 2);
            }

            RespWriter.WriteBulkString(session.Output, field.Span);
            if (withValues)
            {
                RespWriter.WriteBulkString(session.Output, value.Span);
            }

            await session.FlushIfFullAsync().ConfigureAwait(false);
        }
    }

    /// <summary><paramref name="picks"/> distinct indexes below <paramref name="size"/> in random order (a partial Fisher-Yates shuffle).</summary>
    private static int[] DistinctPicks(int size, int picks)
    {
        int[] indexes = [.. Enumerable.Range(0, size)];
        for (int i = 0; i < picks; i++)
        {
            int j = Random.Shared.Next(i, size);
            (indexes[i], indexes[j]) = (indexes[j], indexes[i]);
        }

        return indexes[..picks];
    }
}
