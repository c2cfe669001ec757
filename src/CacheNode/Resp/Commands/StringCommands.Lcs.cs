using KubeCache.CacheNode.Storage;
using KubeCache.Protocol;

namespace KubeCache.CacheNode.Resp.Commands;

/// <summary>LCS key1 key2 [LEN] [IDX] [MINMATCHLEN n] [WITHMATCHLEN]: the longest common subsequence, Redis's algorithm and replies.</summary>
internal sealed partial class StringCommands
{
    private void Lcs(RespSession session)
    {
        RespCommand command = session.Command;
        bool index = false, length = false, withMatchLength = false;
        long minMatchLength = 0;
        for (int i = 3; i < command.Count; i++)
        {
            if (RespArguments.Is(session, i, "IDX"u8))
            {
                index = true;
            }
            else if (RespArguments.Is(session, i, "LEN"u8))
            {
                length = true;
            }
            else if (RespArguments.Is(session, i, "WITHMATCHLEN"u8))
            {
                withMatchLength = true;
            }
            else if (RespArguments.Is(session, i, "MINMATCHLEN"u8) && i + 1 < command.Count)
            {
                if (!RespArguments.TryInteger(session, ++i, out minMatchLength))
                {
                    return;
                }

                minMatchLength = Math.Max(minMatchLength, 0);
            }
            else
            {
                RespErrors.Syntax(session);
                return;
            }
        }

        if (index && length)
        {
            RespErrors.Write(session, "ERR If you want both the length and indexes, please just use IDX.");
            return;
        }

        StoreStatus firstStatus = store.Get(command[1], out ReadOnlyMemory<byte> first);
        StoreStatus secondStatus = store.Get(command[2], out ReadOnlyMemory<byte> second);
        if (firstStatus == StoreStatus.WrongType || secondStatus == StoreStatus.WrongType)
        {
            RespErrors.Write(session, "ERR The specified keys must contain string values");
            return;
        }

        ReadOnlySpan<byte> a = first.Span;
        ReadOnlySpan<byte> b = second.Span;
        // The table is the command's transient memory; Redis bounds it by its largest bulk string, and the node by its largest value.
        long tableBytes = (a.Length + 1L) * (b.Length + 1L) * sizeof(int);
        if (tableBytes > store.Options.MaxValueBytes)
        {
            RespErrors.Write(session, $"ERR Insufficient memory, transient memory for LCS exceeds --max-value-bytes ({tableBytes} bytes needed, limit {store.Options.MaxValueBytes})");
            return;
        }

        int[] table = ArrayPool<int>.Shared.Rent((int)(tableBytes / sizeof(int)));
        try
        {
            var lcs = new LcsTable(table, b.Length + 1);
            lcs.Fill(a, b);
            if (length)
            {
                RespWriter.WriteInteger(session.Output, lcs[a.Length, b.Length]);
            }
            else
            {
                WriteLcs(session, lcs, a, b, index, minMatchLength, withMatchLength);
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(table);
        }
    }

    /// <summary>Walks the table back from the end: the common bytes, or with IDX the matching ranges (last first) and the length.</summary>
    private static void WriteLcs(RespSession session, LcsTable lcs, ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, bool index, long minMatchLength, bool withMatchLength)
    {
        int total = lcs[a.Length, b.Length];
        byte[] result = new byte[total];
        var matches = new List<(int AStart, int AEnd, int BStart, int BEnd)>();
        int i = a.Length, j = b.Length, next = total;
        int aStart = -1, aEnd = 0, bStart = 0, bEnd = 0;
        while (i > 0 && j > 0)
        {
            bool emit;
            if (a[i - 1] == b[j - 1])
            {
                result[--next] = a[i - 1];
                if (aStart < 0)
                {
                    (aStart, aEnd, bStart, bEnd) = (i - 1, i - 1, j - 1, j - 1);
                }
                else
                {
                    // Consecutive matches step back diagonally, so the range grows backwards.
                    aStart--;
                    bStart--;
                }

                emit = aStart == 0 || bStart == 0;
                i--;
                j--;
            }
            else
            {
                if (lcs[i - 1, j] > lcs[i, j - 1])
                {
                    i--;
                }
                else
                {
                    j--;
                }

                emit = aStart >= 0;
            }

            if (emit)
            {
                if (aEnd - aStart + 1 >= minMatchLength)
                {
                    matches.Add((aStart, aEnd, bStart, bEnd));
                }

                aStart = -1;
            }
        }

        if (!index)
        {
            RespWriter.WriteBulkString(session.Output, result);
            return;
        }

        // A map in RESP3, as Redis answers; RESP2 flattens it to four items.
        RespWriter.WriteMapHeader(session.Output, 2, session.Protocol);
        RespWriter.WriteBulkString(session.Output, "matches"u8);
        RespWriter.WriteArrayHeader(session.Output, matches.Count);
        foreach ((int matchAStart, int matchAEnd, int matchBStart, int matchBEnd) in matches)
        {
            RespWriter.WriteArrayHeader(session.Output, withMatchLength ? 3 : 2);
            WritePair(session, matchAStart, matchAEnd);
            WritePair(session, matchBStart, matchBEnd);
            if (withMatchLength)
            {
                RespWriter.WriteInteger(session.Output, matchAEnd - matchAStart + 1);
            }
        }

        RespWriter.WriteBulkString(session.Output, "len"u8);
        RespWriter.WriteInteger(session.Output, total);
    }

    private static void WritePair(RespSession session, long start, long end)
    {
        RespWriter.WriteArrayHeader(session.Output, 2);
        RespWriter.WriteInteger(session.Output, start);
        RespWriter.WriteInteger(session.Output, end);
    }

    /// <summary>LCS lengths of every pair of prefixes, row by row in one array.</summary>
    private readonly struct LcsTable(int[] cells, int width)
    {
        public int this[int i, int j] => cells[(i * width) + j];

        public void Fill(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
        {
            for (int i = 0; i <= a.Length; i++)
            {
                for (int j = 0; j <= b.Length; j++)
                {
                    cells[(i * width) + j] = i == 0 || j == 0 ? 0
                        : a[i - 1] == b[j - 1] ? this[i - 1, j - 1] + 1
                        : Math.Max(this[i - 1, j], this[i, j - 1]);
                }
            }
        }
    }
}
