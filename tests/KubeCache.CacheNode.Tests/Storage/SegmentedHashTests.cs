using System.Text;
using KubeCache.CacheNode.Storage;

namespace KubeCache.CacheNode.Tests.Storage;

/// <summary>
/// Large hashes kept in segments (<see cref="SegmentedHash"/>), through the store as the hash
/// commands use it (<see cref="CacheStore.EditHash"/>, <see cref="CacheStore.GetHash"/>): against a
/// model as they grow past <see cref="SegmentedHash.MinBytes"/> and shrink back, what a write
/// leaves behind, and the store's other paths (TTL, COPY and RENAME, handoff, eviction, DEL).
/// </summary>
public sealed class SegmentedHashTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void EditsThroughTheStore_GrowPastTheSegmentedSizeAndShrinkBack_MatchTheModel(int seed)
    {
        var random = new Random(seed);
        var store = new CacheStore(new StoreOptions { CapacityBytes = 256L << 20, ShardCount = 2 });
        byte[] key = Bytes("h");
        var model = new Dictionary<string, string>();
        bool wasSegmented = false, wasOneValueAgain = false;
        int swept = 0;
        for (int step = 0; step < 3500; step++)
        {
            // Random sets and deletes of 3,000 fields (about 100 KB of pairs), then deletes that
            // sweep those fields with a few sets of 40 of them between.
            bool growing = step < 2000;
            bool delete = growing ? random.Next(4) == 0 : random.Next(4) != 0;
            ArgumentPairs pairs = growing || !delete
                ? new([.. Enumerable.Range(0, random.Next(1, 6)).Select(_ => (Field(random, growing ? 3000 : 40), Value(random)))])
                : new([.. Enumerable.Range(swept, 3).Select(i => ($"field:{i}", "")), (Field(random, 3000), "")]);
            swept += growing || !delete ? 0 : 3;
            if (delete)
            {
                int removed = 0;
                Assert.Equal(StoreStatus.Ok, store.EditHash(key, ref pairs, (HashValue current, ref ArgumentPairs p, out Replacement replacement) =>
                {
                    replacement = current.Without(ref p, out removed);
                    return StoreStatus.Ok;
                }));
                Assert.Equal(pairs.Pairs.Select(p => p.Field).Distinct().Count(model.Remove), removed);
            }
            else
            {
                int added = 0;
                Assert.Equal(StoreStatus.Ok, store.EditHash(key, ref pairs, (HashValue current, ref ArgumentPairs p, out Replacement replacement) =>
                {
                    replacement = current.With(ref p, out added);
                    return StoreStatus.Ok;
                }));
                int before = model.Count;
                foreach ((string field, string value) in pairs.Pairs)
                {
                    model[field] = value;
                }

                Assert.Equal(model.Count - before, added);
            }

            StoreStatus read = store.GetHash(key, out HashValue hash);
            Assert.Equal(model.Count == 0 ? StoreStatus.NotFound : StoreStatus.Ok, read);
            wasSegmented |= hash.Segments is not null;
            wasOneValueAgain |= wasSegmented && hash.Segments is null && model.Count > 0;
            if (hash.Segments is { } segments)
            {
                Assert.True(segments.Length > SegmentedHash.MinBytes / 2, $"a segmented hash of {segments.Length} bytes");
                Assert.True(segments.Length <= segments.SegmentCount * (long)SegmentedHash.MaxAverageBytes, $"{segments.Length} bytes in {segments.SegmentCount} segments");
            }
            else
            {
                Assert.True(hash.Length <= SegmentedHash.MinBytes, $"a hash of {hash.Length} bytes kept as one value");
            }

            if (step % 50 == 0 || model.Count < 20)
            {
                AssertHolds(model, hash);
                store.CheckInvariants();
            }
        }

        Assert.True(wasSegmented, "the hash never grew past the segmented size");
        Assert.True(wasOneValueAgain, "the hash never shrank back to one value");
    }

    /// <summary>
    /// Regression: an HINCRBY-like write to a large hash made a new record of the whole hash and
    /// dropped the old one (170 KB of garbage per write here, and as much copied); now it leaves
    /// the changed segment and the part of its table of segments behind.
    /// </summary>
    [Fact]
    public void WriteToOneField_OfALargeHash_LeavesAFewKilobytesNotTheHash()
    {
        (HashValue filled, long perWrite) = WritesToOneFieldOfAHash(10_000, seed: 7);
        Assert.True(filled.Length > 150_000, $"the hash is {filled.Length} bytes");
        Assert.True(perWrite < 8 * 1024, $"each write left {perWrite} bytes behind, of a {filled.Length}-byte hash");
    }

    /// <summary>
    /// Regression: a write to a hash of thousands of segments copied the whole array of segment
    /// references (32 KiB at this 3.4 MB hash's 4,096 segments, 256 KiB at a 25 MB hash's 32,768) and
    /// left it behind, so what a write cost grew with the hash; now it copies the root and one leaf of
    /// the two-level <see cref="SegmentTable"/>.
    /// </summary>
    [Fact]
    public void WriteToOneField_OfAHashOfThousandsOfSegments_LeavesAboutASegmentNotItsReferences()
    {
        (HashValue filled, long perWrite) = WritesToOneFieldOfAHash(200_000, seed: 11);
        Assert.True(filled.Segments!.SegmentCount >= 2048, $"the hash has {filled.Segments.SegmentCount} segments");
        Assert.True(perWrite < 6 * 1024, $"each write left {perWrite} bytes behind, of a {filled.Length}-byte hash in {filled.Segments.SegmentCount} segments");
    }

    [Fact]
    public void StorePaths_TtlCopyRenameHandoffDeleteEviction_KeepTheHashAndTheBytes()
    {
        var clock = new ManualClock();
        var store = new CacheStore(new StoreOptions { CapacityBytes = 8L << 20, ShardCount = 1 }, clock);
        var pairs = new ArgumentPairs([.. Enumerable.Range(0, 2000).Select(i => ($"field:{i:D4}", $"value-{i}"))]);
        var model = pairs.Pairs.ToDictionary(p => p.Field, p => p.Value);
        Assert.Equal(StoreStatus.Ok, store.EditHash(Bytes("big"), ref pairs, Set));

        // A TTL rewrites the record: the hash goes with it, still segmented.
        Assert.Equal(StoreStatus.Ok, store.SetExpiry(Bytes("big"), Expiry.After(TimeSpan.FromSeconds(100))));
        Assert.Equal(StoreStatus.Ok, store.Persist(Bytes("big")));
        AssertSegmented(store, "big", model);

        // COPY and RENAME go through the value's bytes and come out segmented again.
        Assert.Equal(StoreStatus.Ok, store.Transfer(Bytes("big"), Bytes("copy"), replace: false, keepSource: true));
        Assert.Equal(StoreStatus.Ok, store.Transfer(Bytes("copy"), Bytes("renamed"), replace: false, keepSource: false));
        AssertSegmented(store, "big", model);
        AssertSegmented(store, "renamed", model);

        // A handoff reads the encoding (Peek) and the new owner stores it segmented.
        Assert.Equal(StoreStatus.Ok, store.Peek(Bytes("big"), out ReadOnlyMemory<byte> encoded, out ValueKind kind, out _));
        Assert.Equal(ValueKind.Hash, kind);
        var other = new CacheStore(new StoreOptions { CapacityBytes = 8L << 20, ShardCount = 1 });
        Assert.Equal(StoreStatus.Ok, other.SetFromHandoff(Bytes("big"), encoded.Span, kind, 0, other.Flushes));
        AssertSegmented(other, "big", model);
        store.CheckInvariants();
        other.CheckInvariants();

        // DEL and eviction give the segments' bytes back (CheckInvariants counts them).
        Assert.Equal(StoreStatus.Ok, store.Delete(Bytes("renamed")));
        // Peek, unlike EXISTS, leaves the LRU order alone.
        for (int i = 0; store.Peek(Bytes("big"), out _, out _, out _) == StoreStatus.Ok; i++)
        {
            Assert.True(i < 100_000, "the large hash was never evicted");
            Assert.Equal(StoreStatus.Ok, store.Set(Bytes($"filler:{i}"), new byte[4000]));
        }

        store.CheckInvariants();
        Assert.Equal(StoreStatus.NotFound, store.GetHash(Bytes("big"), out _));
    }

    [Fact]
    public void RandomPair_OfASegmentedHash_DrawsEveryFieldAboutEqually()
    {
        var store = new CacheStore(new StoreOptions { CapacityBytes = 64L << 20, ShardCount = 1 });
        var pairs = new ArgumentPairs([.. Enumerable.Range(0, 2000).Select(i => ($"field:{i:D4}", $"value-{i}"))]);
        Assert.Equal(StoreStatus.Ok, store.EditHash(Bytes("big"), ref pairs, Set));
        Assert.Equal(StoreStatus.Ok, store.GetHash(Bytes("big"), out HashValue hash));
        Assert.NotNull(hash.Segments);

        var draws = new Dictionary<string, int>();
        var random = new Random(3);
        for (int i = 0; i < 100_000; i++)
        {
            string field = Encoding.ASCII.GetString(hash.RandomPair(random).Field);
            draws[field] = draws.GetValueOrDefault(field) + 1;
        }

        // 50 draws a field expected; Poisson spread keeps every field well inside 15..100.
        Assert.Equal(2000, draws.Count);
        Assert.InRange(draws.Values.Min(), 15, 50);
        Assert.InRange(draws.Values.Max(), 50, 100);
    }

    /// <summary>
    /// Readers outside the lock while writers change the hash: every read sees whole pairs (each
    /// value names its field), a count that matches its pairs, and, as writers only add and
    /// update, never fewer fields than a read before it.
    /// </summary>
    [Fact]
    public async Task ReadsWhileWriting_SeeWholeVersions()
    {
        var store = new CacheStore(new StoreOptions { CapacityBytes = 256L << 20, ShardCount = 1, MaxValueBytes = 16 << 20 });
        byte[] key = Bytes("h");
        var initial = new ArgumentPairs([.. Enumerable.Range(0, 2000).Select(i => ($"field:{i}", $"field:{i}|0"))]);
        Assert.Equal(StoreStatus.Ok, store.EditHash(key, ref initial, Set));
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        int writes = 0;
        Task[] writers = [.. Enumerable.Range(0, 2).Select(w => StoreTestKit.OnOwnThread(() =>
        {
            var random = new Random(w);
            while (!stop.IsCancellationRequested)
            {
                string field = $"field:{random.Next(6000)}";
                var pair = new ArgumentPairs([(field, $"{field}|{random.Next()}")]);
                Assert.Equal(StoreStatus.Ok, store.EditHash(key, ref pair, Set));
                Interlocked.Increment(ref writes);
            }
        }))];
        Task[] readers = [.. Enumerable.Range(0, 2).Select(r => StoreTestKit.OnOwnThread(() =>
        {
            var random = new Random(100 + r);
            int seen = 0;
            while (!stop.IsCancellationRequested)
            {
                Assert.Equal(StoreStatus.Ok, store.GetHash(key, out HashValue hash));
                int count = 0;
                foreach (HashFields.Pair pair in hash)
                {
                    Assert.StartsWith(Encoding.ASCII.GetString(pair.Field) + "|", Encoding.ASCII.GetString(pair.Value), StringComparison.Ordinal);
                    count++;
                }

                Assert.Equal(hash.Count, count);
                Assert.True(count >= seen, $"a read saw {count} fields after one saw {seen}");
                seen = count;
                string field = $"field:{random.Next(2000)}";
                Assert.True(hash.TryGet(Bytes(field), out ReadOnlySpan<byte> value));
                Assert.StartsWith(field + "|", Encoding.ASCII.GetString(value), StringComparison.Ordinal);
            }
        }))];
        await Task.WhenAll([.. writers, .. readers]);
        Assert.True(writes > 1000, $"only {writes} writes ran");
        store.CheckInvariants();
    }

    /// <summary>
    /// A hash of <paramref name="fields"/> counters (as HSET of them all makes it), then 200 writes
    /// to one random field each (as HINCRBY makes them): the hash as filled and the bytes each write
    /// left behind for the collector, on average; the writes must keep every field and the store's
    /// invariants.
    /// </summary>
    private static (HashValue Filled, long PerWrite) WritesToOneFieldOfAHash(int fields, int seed)
    {
        var store = new CacheStore(new StoreOptions { CapacityBytes = 256L << 20, ShardCount = 1, MaxValueBytes = 16 << 20, ReclaimAfterDroppedBytes = 1L << 40 });
        byte[] key = Bytes("counters");
        var fill = new ArgumentPairs([.. Enumerable.Range(0, fields).Select(i => ($"f:{i:D12}", "0"))]);
        Assert.Equal(StoreStatus.Ok, store.EditHash(key, ref fill, Set));
        Assert.Equal(StoreStatus.Ok, store.GetHash(key, out HashValue filled));

        long droppedBefore = store.Reclaimer.DroppedBytes;
        const int Writes = 200;
        var random = new Random(seed);
        for (int i = 0; i < Writes; i++)
        {
            var one = new ArgumentPairs([($"f:{random.Next(fields):D12}", $"{i}")]);
            Assert.Equal(StoreStatus.Ok, store.EditHash(key, ref one, Set));
        }

        long perWrite = (store.Reclaimer.DroppedBytes - droppedBefore) / Writes;
        Assert.Equal(StoreStatus.Ok, store.GetHash(key, out HashValue written));
        Assert.Equal(fields, written.Count);
        store.CheckInvariants();
        return (filled, perWrite);
    }

    private static StoreStatus Set(HashValue current, ref ArgumentPairs pairs, out Replacement replacement)
    {
        replacement = current.With(ref pairs, out _);
        return StoreStatus.Ok;
    }

    private static void AssertSegmented(CacheStore store, string key, Dictionary<string, string> model)
    {
        Assert.Equal(StoreStatus.Ok, store.GetHash(Bytes(key), out HashValue hash));
        Assert.NotNull(hash.Segments);
        AssertHolds(model, hash);
    }

    /// <summary>The hash holds exactly the model's pairs: by look-up, by walk, by pair list and by count.</summary>
    private static void AssertHolds(Dictionary<string, string> model, HashValue hash)
    {
        Assert.Equal(model.Count, hash.Count);
        foreach ((string field, string value) in model)
        {
            Assert.True(hash.TryGet(Bytes(field), out ReadOnlySpan<byte> found), $"field {field} is missing");
            Assert.Equal(value, Encoding.ASCII.GetString(found));
        }

        Assert.False(hash.TryGet("absent"u8, out _));
        var walked = new Dictionary<string, string>();
        foreach (HashFields.Pair pair in hash)
        {
            walked.Add(Encoding.ASCII.GetString(pair.Field), Encoding.ASCII.GetString(pair.Value));
        }

        Assert.Equal(model.OrderBy(p => p.Key), walked.OrderBy(p => p.Key));
        Assert.Equal(model.Count, hash.ToPairs().Length);
    }

    private static string Field(Random random, int range) => random.Next(10) == 0 ? "" : $"field:{random.Next(range)}";

    // Some values are long enough for two-byte lengths, and some hold a field's encoding.
    private static string Value(Random random) => random.Next(8) switch
    {
        0 => "\u000bfield:" + random.Next(100),
        1 => new string((char)('a' + random.Next(26)), random.Next(120, 300)),
        _ => new string((char)('a' + random.Next(26)), random.Next(0, 12)),
    };

    private static byte[] Bytes(string text) => Encoding.ASCII.GetBytes(text);

    private readonly struct ArgumentPairs((string Field, string Value)[] pairs) : IFieldPairs
    {
        public (string Field, string Value)[] Pairs { get; } = pairs;

        public int Count => Pairs.Length;

        public ReadOnlySpan<byte> Field(int index) => Encoding.ASCII.GetBytes(Pairs[index].Field);

        public ReadOnlySpan<byte> Value(int index) => Encoding.ASCII.GetBytes(Pairs[index].Value);
    }
}
