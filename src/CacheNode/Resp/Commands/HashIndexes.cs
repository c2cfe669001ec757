using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace KubeCache.CacheNode.Resp.Commands;

/// <summary>
/// Field look-ups (HGET, HMGET, HEXISTS, HSTRLEN) and HLEN on large hashes through a
/// <see cref="HashIndex"/>; each command's reading of a hash counts as one read. A hash of at least <see cref="MinIndexedBytes"/> lives in a record of
/// its own, which the store never changes once written (a write makes a new one), so an index
/// built from it is kept beside it in a <see cref="ConditionalWeakTable{TKey,TValue}"/> keyed by
/// the record's array and goes when the record goes. A record is indexed on its
/// <see cref="ReadsBeforeIndex"/>th read, as a ski rental: building an index costs about as much
/// as that many walks to a field (bench/Store), so a hash rewritten between reads costs at most
/// 2–2.5 times the walks it did without an index, and one read more often gets each field in
/// one or two probes. Indexes live on the heap beside the entries, counted in <see cref="Bytes"/>
/// and held to --hash-index-memory; past it a hash is walked, as small ones are.
/// </summary>
/// <param name="budgetBytes">--hash-index-memory; 0 indexes nothing.</param>
public sealed class HashIndexes(long budgetBytes)
{
    /// <summary>Hashes below this are walked: at most a few hundred pairs, a few microseconds.</summary>
    public const int MinIndexedBytes = 16 * 1024;

    /// <summary>The read of one record that indexes it; bench/Store measures a build at 8–13 walks to a random field.</summary>
    public const int ReadsBeforeIndex = 8;

    private readonly ConditionalWeakTable<byte[], Tracker> _records = new();
    private long _bytes;

    /// <summary>Bytes held by indexes whose records may still be alive (the GC frees both together).</summary>
    public long Bytes => Volatile.Read(ref _bytes);

    /// <summary>One command's reads of <paramref name="encoded"/>, through its index when it has one or this read earns it one.</summary>
    internal HashView Read(ReadOnlyMemory<byte> encoded) => new(encoded.Span, Find(encoded));

    /// <summary>The index of <paramref name="encoded"/> if it has one or this read earns it one; null to walk it.</summary>
    private HashIndex? Find(ReadOnlyMemory<byte> encoded)
    {
        if (encoded.Length < MinIndexedBytes || budgetBytes == 0 || !MemoryMarshal.TryGetArray(encoded, out ArraySegment<byte> record))
        {
            return null;
        }

        Tracker tracker = _records.GetValue(record.Array!, static _ => new Tracker());
        if (Volatile.Read(ref tracker.Built) is { } built)
        {
            return built.Offset == record.Offset && built.Length == record.Count ? built.Index : null;
        }

        // Exactly one read is the one that builds; a record the budget refuses is walked for its life.
        if (Interlocked.Increment(ref tracker.Reads) != ReadsBeforeIndex)
        {
            return null;
        }

        // The budget is checked before the table is made and charged after: builders of other records may have taken it meanwhile.
        HashIndex? index = HashIndex.TryBuild(encoded.Span, budgetBytes - Bytes);
        if (index is null || Interlocked.Add(ref _bytes, index.Bytes) > budgetBytes)
        {
            if (index is not null)
            {
                Interlocked.Add(ref _bytes, -index.Bytes);
            }

            return null;
        }

        tracker.Lease = new BytesLease(this, index.Bytes);
        Volatile.Write(ref tracker.Built, new Indexed(index, record.Offset, record.Count));
        return index;
    }

    /// <summary>What is known of one record: its reads so far, and its index once built.</summary>
    private sealed class Tracker
    {
        public int Reads;
        public Indexed? Built;
        public BytesLease? Lease;
    }

    /// <summary>A record's index and where in its array the hash lies.</summary>
    private sealed record Indexed(HashIndex Index, int Offset, int Length);

    /// <summary>
    /// Gives an index's bytes back when its record is collected. It holds no reference to the
    /// index, so the index is freed by the collection that finds the record dead, not one later.
    /// </summary>
    private sealed class BytesLease(HashIndexes owner, long bytes)
    {
        ~BytesLease() => Interlocked.Add(ref owner._bytes, -bytes);
    }
}

/// <summary>A hash as one command reads it: its encoding, and its index when it has one.</summary>
internal readonly ref struct HashView(ReadOnlySpan<byte> encoded, HashIndex? index)
{
    private readonly ReadOnlySpan<byte> _encoded = encoded;

    public int Count => index?.Count ?? HashFields.Count(_encoded);

    public bool TryGet(ReadOnlySpan<byte> field, out ReadOnlySpan<byte> value) =>
        index is not null ? index.TryGet(_encoded, field, out value) : HashFields.TryGet(_encoded, field, out value);

    /// <summary>A pair drawn uniformly (HRANDFIELD without a count); the hash must hold one.</summary>
    public HashFields.Pair RandomPair(Random random)
    {
        HashFields.Enumerator pairs = HashFields.Enumerate(index is not null ? _encoded[index.RandomPairOffset(random)..] : _encoded);
        for (int skip = index is not null ? 0 : random.Next(Count); skip >= 0; skip--)
        {
            pairs.MoveNext();
        }

        return pairs.Current;
    }
}
