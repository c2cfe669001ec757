using System.Numerics;
using System.Runtime.InteropServices;
using KubeCache.CacheNode.Storage;
using KubeCache.Protocol;

namespace KubeCache.CacheNode.Resp.Commands;

/// <summary>SETBIT, GETBIT, BITCOUNT and BITPOS: bit 0 is the most significant bit of the first byte, as in Redis.</summary>
internal sealed partial class StringCommands
{
    /// <summary>Bit offsets Redis accepts with its default 512 MiB proto-max-bulk-len; SETBIT is also held to --max-value-bytes.</summary>
    private const long MaxBitOffset = (512L * 1024 * 1024 * 8) - 1;

    /// <summary>SETBIT key offset 0|1: answers the bit's previous value; the value grows with zero bytes as needed.</summary>
    private void SetBit(RespSession session)
    {
        RespCommand command = session.Command;
        if (!TryBitOffset(session, 2, out long offset))
        {
            return;
        }

        if (!RespInteger.TryParse(command[3], out long bit) || bit is not (0 or 1))
        {
            RespErrors.Write(session, "ERR bit is not an integer or out of range");
            return;
        }

        var edit = new BitEdit { Offset = offset, Bit = bit == 1, Limit = store.Options.MaxValueBytes };
        StoreStatus status = store.EditString(command[1], ref edit, static (StringValue current, ref BitEdit e, out Replacement replacement) =>
        {
            replacement = Replacement.None;
            long index = e.Offset >> 3;
            e.Length = Math.Max(current.Length, index + 1);
            if (e.Length > e.Limit)
            {
                return StoreStatus.ValueTooLarge;
            }

            byte mask = (byte)(0x80 >> (int)(e.Offset & 7));
            e.Previous = index < current.Length && (current[(int)index] & mask) != 0;
            byte old = index < current.Length ? current[(int)index] : (byte)0;
            replacement = current.Overwritten((int)index, [(byte)(e.Bit ? old | mask : old & ~mask)]);
            return StoreStatus.Ok;
        });
        if (!RespErrors.TryWriteStoreError(session, status, store, command[1].Length, edit.Length))
        {
            session.Output.Write(edit.Previous ? RespReplies.One : RespReplies.Zero);
        }
    }

    /// <summary>GETBIT key offset: 0 past the end of the value or for a missing key.</summary>
    private void GetBit(RespSession session)
    {
        if (!TryBitOffset(session, 2, out long offset))
        {
            return;
        }

        if (!TryRead(session, 1, out StringValue value, out _))
        {
            return;
        }

        long index = offset >> 3;
        bool set = index < value.Length && (value[(int)index] & (0x80 >> (int)(offset & 7))) != 0;
        session.Output.Write(set ? RespReplies.One : RespReplies.Zero);
    }

    /// <summary>BITCOUNT key [start end [BYTE | BIT]]: set bits in the range (bytes unless BIT).</summary>
    private void BitCount(RespSession session)
    {
        RespCommand command = session.Command;
        if (!TryRead(session, 1, out StringValue value, out bool found))
        {
            return;
        }

        if (!found)
        {
            // A missing key counts 0 before its other arguments are looked at, as in Redis.
            session.Output.Write(RespReplies.Zero);
            return;
        }

        long from = 0, to = ((long)value.Length * 8) - 1;
        if (command.Count is 4 or 5)
        {
            if (!TryBitRange(session, 2, 3, 4, value.Length, unitBeforeEnd: false, out from, out to, out bool empty))
            {
                return;
            }

            if (empty)
            {
                session.Output.Write(RespReplies.Zero);
                return;
            }
        }
        else if (command.Count != 2)
        {
            RespErrors.Syntax(session);
            return;
        }

        RespWriter.WriteInteger(session.Output, value.Length == 0 ? 0 : CountBits(value, from, to));
    }

    /// <summary>
    /// BITPOS key 0|1 [start [end [BYTE | BIT]]]: the first bit with that value. Looking for 0
    /// without an end, the bits past the value count as zeros, so the answer is the first bit after it.
    /// </summary>
    private void BitPos(RespSession session)
    {
        RespCommand command = session.Command;
        if (!RespArguments.TryInteger(session, 2, out long wanted))
        {
            return;
        }

        if (wanted is not (0 or 1))
        {
            RespErrors.Write(session, "ERR The bit argument must be 1 or 0.");
            return;
        }

        if (!TryRead(session, 1, out StringValue value, out bool found))
        {
            return;
        }

        if (!found)
        {
            RespWriter.WriteInteger(session.Output, wanted == 1 ? -1 : 0);
            return;
        }

        long from = 0, to = ((long)value.Length * 8) - 1;
        bool endGiven = command.Count >= 5;
        if (command.Count > 6)
        {
            RespErrors.Syntax(session);
            return;
        }

        if (command.Count >= 4)
        {
            if (!TryBitRange(session, 3, endGiven ? 4 : -1, 5, value.Length, unitBeforeEnd: true, out from, out to, out bool empty))
            {
                return;
            }

            if (empty)
            {
                RespWriter.WriteInteger(session.Output, -1);
                return;
            }
        }
        else if (value.Length == 0)
        {
            RespWriter.WriteInteger(session.Output, -1);
            return;
        }

        for (long bit = from; bit <= to; bit++)
        {
            if (((value[(int)(bit >> 3)] & (0x80 >> (int)(bit & 7))) != 0) == (wanted == 1))
            {
                RespWriter.WriteInteger(session.Output, bit);
                return;
            }
        }

        // Searching for 0 with no end given: the value continues with zero bits, as Redis sees it.
        RespWriter.WriteInteger(session.Output, wanted == 0 && !endGiven ? to + 1 : -1);
    }

    /// <summary>Set bits from bit <paramref name="from"/> to bit <paramref name="to"/> (inclusive, within the value): the whole bytes between the ends a piece at a time.</summary>
    private static long CountBits(StringValue value, long from, long to)
    {
        int first = (int)(from >> 3), last = (int)(to >> 3);
        int firstMask = 0xFF >> (int)(from & 7), lastMask = (0xFF << (7 - (int)(to & 7))) & 0xFF;
        if (first == last)
        {
            return BitOperations.PopCount((uint)(value[first] & firstMask & lastMask));
        }

        long count = BitOperations.PopCount((uint)(value[first] & firstMask)) + BitOperations.PopCount((uint)(value[last] & lastMask));
        foreach (ReadOnlyMemory<byte> piece in value.Pieces(first + 1, last - first - 1))
        {
            ReadOnlySpan<byte> bytes = piece.Span;
            foreach (ulong word in MemoryMarshal.Cast<byte, ulong>(bytes))
            {
                count += BitOperations.PopCount(word);
            }

            foreach (byte rest in bytes[(bytes.Length & ~7)..])
            {
                count += BitOperations.PopCount(rest);
            }
        }

        return count;
    }

    /// <summary>
    /// Reads a range in bytes, or in bits with BIT at <paramref name="unitIndex"/>, as an inclusive
    /// bit range. <paramref name="endIndex"/> -1 means "to the end". BITPOS reads the unit before the
    /// end and BITCOUNT after it, which decides the error a client sees, and only BITCOUNT has Redis's
    /// "both negative and reversed is empty" rule. False after an error reply.
    /// </summary>
    private static bool TryBitRange(
        RespSession session, int startIndex, int endIndex, int unitIndex, int length, bool unitBeforeEnd,
        out long from, out long to, out bool empty)
    {
        from = to = 0;
        empty = false;
        long end = long.MaxValue;
        bool bits = false;
        if (!RespArguments.TryInteger(session, startIndex, out long start)
            || (unitBeforeEnd && !TryUnit(session, unitIndex, out bits))
            || (endIndex >= 0 && !RespArguments.TryInteger(session, endIndex, out end))
            || (!unitBeforeEnd && !TryUnit(session, unitIndex, out bits)))
        {
            return false;
        }

        long units = bits ? length * 8L : length;
        empty = !ByteRange.TryClamp(start, end, units, emptyWhenBothNegativeAndReversed: !unitBeforeEnd, out from, out to);
        if (!bits)
        {
            (from, to) = (from * 8, (to * 8) + 7);
        }

        return true;
    }

    /// <summary>Reads BYTE or BIT at <paramref name="index"/> (BYTE when absent).</summary>
    private static bool TryUnit(RespSession session, int index, out bool bits)
    {
        bits = session.Command.Count > index && RespArguments.Is(session, index, "BIT"u8);
        if (bits || session.Command.Count <= index || RespArguments.Is(session, index, "BYTE"u8))
        {
            return true;
        }

        RespErrors.Syntax(session);
        return false;
    }

    private static bool TryBitOffset(RespSession session, int index, out long offset)
    {
        if (RespInteger.TryParse(session.Command[index], out offset) && offset is >= 0 and <= MaxBitOffset)
        {
            return true;
        }

        RespErrors.Write(session, "ERR bit offset is not an integer or out of range");
        return false;
    }

    private ref struct BitEdit
    {
        public long Offset;
        public bool Bit;
        public int Limit;
        public long Length;
        public bool Previous;
    }
}
