using System.Runtime.InteropServices;
using System.Text;
using KubeCache.CacheNode.Storage;

namespace KubeCache.CacheNode.Tests.Storage;

/// <summary>
/// Long strings that SETBIT, SETRANGE and APPEND change, kept in chunks
/// (<see cref="SegmentedString"/>), through the store as those commands use it
/// (<see cref="CacheStore.EditString"/>, <see cref="CacheStore.Append"/>,
/// <see cref="CacheStore.GetString"/>): against a model as they grow past
/// <see cref="SegmentedString.MinBytes"/> and past a chunk size's bound, what a write leaves
/// behind, the store's other paths (TTL, COPY and RENAME, handoff, eviction, DEL) and readers
/// outside the lock.
/// </summary>
public sealed class SegmentedStringTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void EditsThroughTheStore_GrowPastTheChunkedSizeAndTheChunkBound_MatchTheModel(int seed)
    {
        var random = new Random(seed);
        var store = new CacheStore(new StoreOptions { CapacityBytes = 256L << 20, ShardCount = 2, MaxValueBytes = 16 << 20 });
        byte[] key = Bytes("s");
        var model = new List<byte>();
        bool wasChunked = false, wasOneValueAgain = false;
        var chunkSizes = new HashSet<int>();
        for (int step = 0; step < 700; step++)
        {
            // Small edits first, then, from step 400, appends of tens of KB that take the string
            // past 2 MiB, where 4 KiB chunks give way to 8 KiB ones; SET makes it one value again
            // (not in the last 150 steps, so the string grows that far).
            int choice = random.Next(20);
            if (choice == 0 && step < 550)
            {
                byte[] value = RandomBytes(random, random.Next(0, 12_000));
                Assert.Equal(StoreStatus.Ok, store.Set(key, value));
                model = [.. value];
                wasOneValueAgain |= wasChunked;
            }
            else if (choice < 8 || step >= 400)
            {
                byte[] suffix = RandomBytes(random, step >= 400 ? random.Next(10_000, 50_000) : random.Next(0, 3_000));
                Assert.Equal(StoreStatus.Ok, store.Append(key, suffix, out long length));
                model.AddRange(suffix);
                Assert.Equal(model.Count, length);
            }
            else
            {
                int offset = random.Next(0, Math.Max(model.Count, 1) + 20_000);
                byte[] bytes = RandomBytes(random, random.Next(1, choice < 14 ? 2 : 9_000));
                Assert.Equal(StoreStatus.Ok, Overwrite(store, key, offset, bytes));
                while (model.Count < offset + bytes.Length)
                {
                    model.Add(0);
                }

                for (int i = 0; i < bytes.Length; i++)
                {
                    model[offset + i] = bytes[i];
                }
            }

            Assert.Equal(StoreStatus.Ok, store.GetString(key, out StringValue read));
            Assert.Equal(model.Count, read.Length);
            if (read.Chunks is { } chunks)
            {
                wasChunked = true;
                chunkSizes.Add(chunks.ChunkBytes);
                Assert.True(chunks.Length > SegmentedString.MinBytes, $"a chunked string of {chunks.Length} bytes");
                Assert.True(chunks.SegmentCount * 8L <= chunks.ChunkBytes, $"{chunks.SegmentCount} chunks of {chunks.ChunkBytes} bytes");
            }

            AssertHolds(model, read, random);
            if (step % 25 == 0)
            {
                Assert.Equal(StoreStatus.Ok, store.Get(key, out ReadOnlyMemory<byte> whole));
                Assert.True(whole.Span.SequenceEqual([.. model]), "the string read as bytes differs from the model");
                store.CheckInvariants();
            }
        }

        Assert.True(wasChunked && wasOneValueAgain, $"chunked {wasChunked}, one value again {wasOneValueAgain}");
        Assert.Contains(SegmentedString.MinChunkBytes, chunkSizes);
        Assert.Contains(2 * SegmentedString.MinChunkBytes, chunkSizes);
        store.CheckInvariants();
    }

    /// <summary>
    /// The regression: SETBIT, SETRANGE and APPEND copied the whole string into a new record and
    /// dropped the old one, a 1 MiB bitmap's worth of garbage per SETBIT; now a write leaves the
    /// chunk it changed and the array of chunks behind.
    /// </summary>
    [Fact]
    public void WritesToALongString_LeaveAFewKilobytesNotTheString()
    {
        var store = new CacheStore(new StoreOptions { CapacityBytes = 256L << 20, ShardCount = 1, ReclaimAfterDroppedBytes = 1L << 40 });
        byte[] bitmap = Bytes("bitmap"), log = Bytes("log");
        Assert.Equal(StoreStatus.Ok, Overwrite(store, bitmap, (1 << 20) - 1, [0]));
        Assert.Equal(StoreStatus.Ok, store.Append(log, new byte[800_000], out _));
        Assert.Equal(StoreStatus.Ok, store.Append(log, [1], out _));

        var random = new Random(5);
        const int Writes = 200;
        long droppedBefore = store.Reclaimer.DroppedBytes;
        for (int i = 0; i < Writes; i++)
        {
            Assert.Equal(StoreStatus.Ok, Overwrite(store, bitmap, random.Next(1 << 20), [(byte)i]));
        }

        long perBit = (store.Reclaimer.DroppedBytes - droppedBefore) / Writes;
        droppedBefore = store.Reclaimer.DroppedBytes;
        for (int i = 0; i < Writes; i++)
        {
            Assert.Equal(StoreStatus.Ok, store.Append(log, RandomBytes(random, 40), out _));
        }

        long perAppend = (store.Reclaimer.DroppedBytes - droppedBefore) / Writes;
        Assert.True(perBit < 16 * 1024, $"each write to the 1 MiB bitmap left {perBit} bytes behind");
        Assert.True(perAppend < 16 * 1024, $"each 40-byte APPEND to the 800 KB string left {perAppend} bytes behind");
        Assert.Equal(StoreStatus.Ok, store.GetString(log, out StringValue appended));
        Assert.Equal(800_001 + (Writes * 40), appended.Length);

        // A range past the end is refused, not walked (the walk would find no bytes to step over).
        Assert.Throws<ArgumentOutOfRangeException>(() => appended.Pieces(appended.Length - 10, 11));
        store.CheckInvariants();
    }

    [Fact]
    public void StorePaths_TtlCopyRenameHandoffDeleteEviction_KeepTheBytes()
    {
        var clock = new ManualClock();
        var store = new CacheStore(new StoreOptions { CapacityBytes = 8L << 20, ShardCount = 1 }, clock);
        byte[] model = RandomBytes(new Random(9), 100_000);
        Assert.Equal(StoreStatus.Ok, store.Append(Bytes("big"), model, out _));

        // A TTL rewrites the record: the chunks go with it.
        Assert.Equal(StoreStatus.Ok, store.SetExpiry(Bytes("big"), Expiry.After(TimeSpan.FromSeconds(100))));
        Assert.Equal(StoreStatus.Ok, store.Persist(Bytes("big")));
        AssertString(store, "big", model, chunked: true);

        // COPY and RENAME go through the value's bytes; their copies are one value until an edit.
        Assert.Equal(StoreStatus.Ok, store.Transfer(Bytes("big"), Bytes("copy"), replace: false, keepSource: true));
        Assert.Equal(StoreStatus.Ok, store.Transfer(Bytes("copy"), Bytes("renamed"), replace: false, keepSource: false));
        AssertString(store, "big", model, chunked: true);
        AssertString(store, "renamed", model, chunked: false);
        Assert.Equal(StoreStatus.Ok, Overwrite(store, Bytes("renamed"), 0, model[..1]));
        AssertString(store, "renamed", model, chunked: true);

        // A handoff reads the bytes (Peek) and the new owner stores them.
        Assert.Equal(StoreStatus.Ok, store.Peek(Bytes("big"), out ReadOnlyMemory<byte> bytes, out ValueKind kind, out _));
        Assert.Equal(ValueKind.String, kind);
        var other = new CacheStore(new StoreOptions { CapacityBytes = 8L << 20, ShardCount = 1 });
        Assert.Equal(StoreStatus.Ok, other.SetFromHandoff(Bytes("big"), bytes.Span, kind, 0, other.Flushes));
        AssertString(other, "big", model, chunked: false);
        store.CheckInvariants();
        other.CheckInvariants();

        // DEL and eviction give the chunks' bytes back (CheckInvariants counts them).
        Assert.Equal(StoreStatus.Ok, store.Delete(Bytes("renamed")));
        for (int i = 0; store.Peek(Bytes("big"), out _, out _, out _) == StoreStatus.Ok; i++)
        {
            Assert.True(i < 100_000, "the chunked string was never evicted");
            Assert.Equal(StoreStatus.Ok, store.Set(Bytes($"filler:{i}"), new byte[4000]));
        }

        store.CheckInvariants();
        Assert.Equal(StoreStatus.NotFound, store.GetString(Bytes("big"), out _));
    }

    /// <summary>
    /// Readers outside the lock while writers change the string: a writer overwrites its first
    /// 12 KiB (three chunks) with one byte value at a time and another appends, so every read must
    /// see those 12 KiB all alike, and never a shorter string than a read before it.
    /// </summary>
    [Fact]
    public async Task ReadsWhileWriting_SeeWholeVersions()
    {
        const int Block = 12 * 1024;
        var store = new CacheStore(new StoreOptions { CapacityBytes = 256L << 20, ShardCount = 1, MaxValueBytes = 64 << 20 });
        byte[] key = Bytes("s");
        Assert.Equal(StoreStatus.Ok, store.Append(key, new byte[64 * 1024], out _));
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        int writes = 0;
        Task overwriter = StoreTestKit.OnOwnThread(() =>
        {
            for (int i = 1; !stop.IsCancellationRequested; i++)
            {
                byte[] block = new byte[Block];
                Array.Fill(block, (byte)i);
                Assert.Equal(StoreStatus.Ok, Overwrite(store, key, 0, block));
                Interlocked.Increment(ref writes);
            }
        });
        Task appender = StoreTestKit.OnOwnThread(() =>
        {
            while (!stop.IsCancellationRequested && store.Append(key, new byte[100], out _) == StoreStatus.Ok)
            {
                Interlocked.Increment(ref writes);
            }
        });
        Task[] readers = [.. Enumerable.Range(0, 2).Select(_ => StoreTestKit.OnOwnThread(() =>
        {
            int seen = 0;
            while (!stop.IsCancellationRequested)
            {
                Assert.Equal(StoreStatus.Ok, store.GetString(key, out StringValue value));
                byte first = value[0];
                foreach (ReadOnlyMemory<byte> piece in value.Pieces(0, Block))
                {
                    Assert.True(piece.Span.IndexOfAnyExcept(first) < 0, "a read saw two versions of the block");
                }

                Assert.True(value.Length >= seen, $"a read saw {value.Length} bytes after one saw {seen}");
                seen = value.Length;
            }
        }))];
        await Task.WhenAll([overwriter, appender, .. readers]);
        Assert.True(writes > 1000, $"only {writes} writes ran");
        store.CheckInvariants();
    }

    /// <summary>SETRANGE's edit: <paramref name="bytes"/> written at <paramref name="offset"/>.</summary>
    private static StoreStatus Overwrite(CacheStore store, byte[] key, int offset, byte[] bytes)
    {
        var edit = new Write(offset, bytes);
        return store.EditString(key, ref edit, static (StringValue current, ref Write w, out Replacement replacement) =>
        {
            replacement = current.Overwritten(w.Offset, w.Bytes);
            return StoreStatus.Ok;
        });
    }

    private static void AssertString(CacheStore store, string key, byte[] model, bool chunked)
    {
        Assert.Equal(StoreStatus.Ok, store.GetString(Bytes(key), out StringValue value));
        Assert.Equal(chunked, value.Chunks is not null);
        Assert.True(value.ToMemory().Span.SequenceEqual(model), $"{key} does not hold the bytes written");
    }

    /// <summary>The string holds the model's bytes: by length, byte by byte at random, and piece by piece over random ranges and the whole.</summary>
    private static void AssertHolds(List<byte> model, StringValue value, Random random)
    {
        Assert.Equal(model.Count, value.Length);
        for (int i = 0; i < 20 && model.Count > 0; i++)
        {
            int at = random.Next(model.Count);
            Assert.Equal(model[at], value[at]);
        }

        for (int i = 0; i < 3; i++)
        {
            int start = model.Count == 0 ? 0 : random.Next(model.Count);
            int count = random.Next(0, Math.Min(model.Count - start, 20_000) + 1);
            var read = new List<byte>();
            foreach (ReadOnlyMemory<byte> piece in value.Pieces(start, count))
            {
                Assert.False(piece.IsEmpty);
                read.AddRange(piece.Span);
            }

            Assert.True(CollectionsMarshal.AsSpan(read).SequenceEqual(CollectionsMarshal.AsSpan(model).Slice(start, count)), $"bytes {start}..{start + count} differ");
        }
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Bytes(string text) => Encoding.ASCII.GetBytes(text);

    private readonly record struct Write(int Offset, byte[] Bytes);
}
