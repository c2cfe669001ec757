using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace KubeCache.CacheNode.Resp.Commands;

/// <summary>
/// Field look-ups (HGET, HMGET, HEXISTS, HSTRLEN) and HLEN on large hashes through a
/// <see cref="HashIndex"/>. A hash of at least <see cref="MinIndexedBytes"/> lives in a record of
/// its own, which the store never changes once written (a write makes a new one), so an index
/// built from it is kept beside it in a <see cref="ConditionalWeakTable{TKey,TValue}"/> keyed by
/// the record's array and goes when the record goes. A record is indexed on its
/// <see cref="ReadsBeforeIndex"/>th read: building costs about what that many walks do, so a hash
/// rewritten between reads is never slower than walking it, and one read more often than written
/// gets its fields in one or two probes. Indexes live on the heap beside the entries, counted in
/// <see cref="Bytes"/> and held to --hash-index-memory; past it a hash is walked, as small ones are.
/// </summary>
/// <param name="budgetBytes">--hash-index-memory; 0 indexes nothing.</param>
public sealed class HashIndexes(long budgetBytes)
{
    /// <summary>Hashes below this are walked: at most a few hundred pairs, a few microseconds.</summary>
    public const int MinIndexedBytes = 16 * 1024;

    /// <summary>Reads of one record before it is indexed (bench/value-edits.sh measures the walk and the build).</summary>
    public const int ReadsBeforeIndex = 3;

    private readonly ConditionalWeakTable<byte[], Tracker> _records = new();
    private long _bytes;

    /// <summary>Bytes held by indexes whose records may still be alive (the GC frees both together).</summary>
    public long Bytes => Volatile.Read(ref _bytes);

    internal bool TryGet(ReadOnlyMemory<byte> encoded, ReadOnlySpan<byte> field, out ReadOnlySpan<byte> value) =>
        Find(encoded) is { } index
            ? index.TryGet(encoded.Span, field, out value)
            : HashFields.TryGet(encoded.Span, field, out value);

    internal int Count(ReadOnlyMemory<byte> encoded) => Find(encoded)?.Count ?? HashFields.Count(encoded.Span);

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

        int count = HashFields.Count(encoded.Span);
        long bytes = HashIndex.BytesFor(count);
        if (Interlocked.Add(ref _bytes, bytes) > budgetBytes)
        {
            Interlocked.Add(ref _bytes, -bytes);
            return null;
        }

        HashIndex index = HashIndex.Build(encoded.Span, count);
        tracker.Lease = new BytesLease(this, bytes);
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
