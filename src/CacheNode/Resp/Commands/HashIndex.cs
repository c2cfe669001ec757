using System.IO.Hashing;
using System.Numerics;

namespace KubeCache.CacheNode.Resp.Commands;

/// <summary>
/// Where each field of one <see cref="HashFields"/> encoding starts: an open-addressing table of
/// pair offsets by the field's XXH3, at most half full, so finding a field of a large hash looks
/// at one or two pairs instead of walking all of them. It describes the encoding it was built
/// from and nothing else; a store record is never changed once written, so the index of a
/// record's value stays true while the record lives (<see cref="HashIndexes"/>).
/// </summary>
internal sealed class HashIndex
{
    /// <summary>Each pair's offset + 1 in the encoding; 0 marks an empty slot.</summary>
    private readonly int[] _slots;
    private readonly int _mask;

    private HashIndex(int[] slots, int count)
    {
        _slots = slots;
        _mask = slots.Length - 1;
        Count = count;
    }

    /// <summary>Fields in the hash.</summary>
    public int Count { get; }

    /// <summary>Bytes the index holds on the heap.</summary>
    public long Bytes => SizeFor(_slots.LongLength);

    /// <summary>Bytes an index of <paramref name="count"/> fields takes, before it is built.</summary>
    public static long BytesFor(int count) => SizeFor(SlotsFor(count));

    /// <summary>
    /// Indexes the pairs of <paramref name="encoded"/> if its index takes at most
    /// <paramref name="maxBytes"/> (<see cref="BytesFor"/>); null if it would take more. Two walks
    /// of the pairs: one counts them, to size the table, the other fills it.
    /// </summary>
    public static HashIndex? TryBuild(ReadOnlySpan<byte> encoded, long maxBytes)
    {
        int count = HashFields.Count(encoded);
        if (BytesFor(count) > maxBytes)
        {
            return null;
        }

        var index = new HashIndex(new int[SlotsFor(count)], count);
        for (ReadOnlySpan<byte> rest = encoded; !rest.IsEmpty;)
        {
            int offset = encoded.Length - rest.Length;
            int slot = index.SlotOf(HashFields.ReadPart(ref rest));
            HashFields.ReadPart(ref rest);
            while (index._slots[slot] != 0)
            {
                slot = (slot + 1) & index._mask;
            }

            index._slots[slot] = offset + 1;
        }

        return index;
    }

    /// <summary>Finds <paramref name="field"/> in <paramref name="encoded"/>, the encoding this index was built from.</summary>
    public bool TryGet(ReadOnlySpan<byte> encoded, ReadOnlySpan<byte> field, out ReadOnlySpan<byte> value)
    {
        for (int slot = SlotOf(field); _slots[slot] != 0; slot = (slot + 1) & _mask)
        {
            ReadOnlySpan<byte> rest = encoded[(_slots[slot] - 1)..];
            if (HashFields.ReadPart(ref rest).SequenceEqual(field))
            {
                value = HashFields.ReadPart(ref rest);
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>
    /// Where a pair drawn uniformly starts: slots drawn at random until one holds a pair (each
    /// pair has one slot, and at least a quarter of the slots hold one, so at most four draws on average).
    /// </summary>
    public int RandomPairOffset(Random random)
    {
        if (Count == 0)
        {
            throw new InvalidOperationException("An empty hash has no pair to draw.");
        }

        while (true)
        {
            int entry = _slots[random.Next(_slots.Length)];
            if (entry != 0)
            {
                return entry - 1;
            }
        }
    }

    /// <summary>The process's seed: which slot a field takes cannot be known outside it, so no set of field names can be chosen to collide.</summary>
    private static readonly long s_seed = Random.Shared.NextInt64();

    private int SlotOf(ReadOnlySpan<byte> field) => (int)XxHash3.HashToUInt64(field, s_seed) & _mask;

    /// <summary>A power of two at least twice the fields, so probes stay short.</summary>
    private static long SlotsFor(int count) => (long)BitOperations.RoundUpToPowerOf2((ulong)Math.Max(count, 1) * 2);

    /// <summary>The slots' array and the index object's own fields.</summary>
    private static long SizeFor(long slots) => (slots * sizeof(int)) + 64;
}
