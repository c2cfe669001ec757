using System.IO.Hashing;
using System.Numerics;

namespace KubeCache.CacheNode.Storage;

/// <summary>
/// Where each field of a command's pairs is given first and last, for <see cref="HashFields"/>
/// edits: a few pairs (the common HSET) are searched in place, more are put in a table hashed by
/// field once, so an HSET or HDEL of k fields costs O(k) look-ups and not O(k²) comparisons (an
/// HSET of 10,000 fields took over a second of the node's loop). Rents its arrays; dispose it.
/// </summary>
internal readonly struct FieldPositions : IDisposable
{
    /// <summary>Commands of up to this many pairs are searched in place.</summary>
    public const int SearchedInPlace = 8;

    private static readonly long s_seed = Random.Shared.NextInt64();

    /// <summary>Open addressing by field hash: the first index of a field plus one, 0 for none.</summary>
    private readonly int[]? _slots;

    /// <summary>By a field's first index, its last.</summary>
    private readonly int[]? _last;

    private readonly int _mask;

    private FieldPositions(int[] slots, int[] last, int mask)
    {
        _slots = slots;
        _last = last;
        _mask = mask;
    }

    /// <summary>Whether the fields are in a table (more than <see cref="SearchedInPlace"/> of them), so a look-up does not grow with their number.</summary>
    public bool Indexed => _slots is not null;

    public static FieldPositions Of<TPairs>(ref TPairs pairs)
        where TPairs : IFieldPairs, allows ref struct
    {
        if (pairs.Count <= SearchedInPlace)
        {
            return default;
        }

        int size = (int)BitOperations.RoundUpToPowerOf2((uint)pairs.Count * 2);
        int[] slots = ArrayPool<int>.Shared.Rent(size);
        Array.Clear(slots, 0, size);
        var positions = new FieldPositions(slots, ArrayPool<int>.Shared.Rent(pairs.Count), size - 1);
        for (int i = 0; i < pairs.Count; i++)
        {
            int slot = positions.SlotOf(ref pairs, pairs.Field(i));
            if (slots[slot] == 0)
            {
                slots[slot] = i + 1;
            }

            positions._last![slots[slot] - 1] = i;
        }

        return positions;
    }

    /// <summary>The indexes at which <paramref name="field"/> is first and last given; false when it is not.</summary>
    public bool TryFind<TPairs>(ref TPairs pairs, ReadOnlySpan<byte> field, out int first, out int last)
        where TPairs : IFieldPairs, allows ref struct
    {
        if (_slots is null)
        {
            first = last = -1;
            for (int i = 0; i < pairs.Count; i++)
            {
                if (pairs.Field(i).SequenceEqual(field))
                {
                    first = first < 0 ? i : first;
                    last = i;
                }
            }

            return first >= 0;
        }

        first = _slots[SlotOf(ref pairs, field)] - 1;
        last = first < 0 ? -1 : _last![first];
        return first >= 0;
    }

    public void Dispose()
    {
        if (_slots is not null)
        {
            ArrayPool<int>.Shared.Return(_slots);
            ArrayPool<int>.Shared.Return(_last!);
        }
    }

    /// <summary>The slot that holds <paramref name="field"/>, or the empty one where it would go.</summary>
    private int SlotOf<TPairs>(ref TPairs pairs, ReadOnlySpan<byte> field)
        where TPairs : IFieldPairs, allows ref struct
    {
        int slot = (int)XxHash3.HashToUInt64(field, s_seed) & _mask;
        while (_slots![slot] != 0 && !pairs.Field(_slots[slot] - 1).SequenceEqual(field))
        {
            slot = (slot + 1) & _mask;
        }

        return slot;
    }
}
