using KubeCache.CacheNode.Storage;

namespace KubeCache.CacheNode.Tests.Storage;

/// <summary>
/// A shard's slots come in fixed chunks past the first: the table grows by a chunk, so the slots
/// it holds stay close to the keys at every size, and entries in every chunk behave alike.
/// </summary>
public sealed class SlotTableTests
{
    private const int ChunkSlots = 512;

    [Fact]
    public void Insert_JustPastAPowerOfTwo_HoldsAtMostOneChunkOfSpareSlots()
    {
        var store = new CacheStore(new StoreOptions { CapacityBytes = 64L << 20, ShardCount = 1 });
        const int keys = (4 * ChunkSlots) + 1;
        for (int i = 0; i < keys; i++)
        {
            Assert.Equal(StoreStatus.Ok, store.Set(Key(i), Key(i)));
        }

        int held = store.Shards[0].SlotsHeld;
        Assert.True(held >= keys && held <= keys + ChunkSlots, $"{keys} keys hold {held} slots");
        store.CheckInvariants();
        for (int i = 0; i < keys; i++)
        {
            Assert.Equal(StoreStatus.Ok, store.Get(Key(i), out ReadOnlyMemory<byte> value));
            Assert.Equal(Key(i), value.ToArray());
        }
    }

    [Fact]
    public void Entry_Size_Is20Bytes()
    {
        Assert.Equal(20, System.Runtime.CompilerServices.Unsafe.SizeOf<Entry>());
    }

    [Fact]
    public void Entry_LocationAndHash_ShareAWordWithoutDisturbingEachOther()
    {
        var entry = default(Entry);
        long location = (1L << Entry.LocationBits) - 1;
        entry.Hash = -1;
        entry.Location = location;

        Assert.Equal((location, Entry.HashMask), (entry.Location, entry.Hash));
        entry.Location = 1;
        entry.Hash = 0x5A5A5A;
        Assert.Equal((1L, 0x5A5A5A), (entry.Location, entry.Hash));
        entry.Clear();
        Assert.True(entry.IsFree);
    }

    [Fact]
    public void Insert_ManyKeys_HoldsOneBucketPerOneToTwoKeys()
    {
        var store = new CacheStore(new StoreOptions { CapacityBytes = 64L << 20, ShardCount = 1 });
        for (int i = 0; i < 16_384; i++)
        {
            store.Set(Key(i), Key(i));
        }

        Assert.Equal(8192, store.Shards[0].BucketsHeld);
        store.Set(Key(16_384), Key(16_384));
        Assert.Equal(16_384, store.Shards[0].BucketsHeld);
        store.CheckInvariants();
    }

    [Fact]
    public void IndexBytes_KeysInSeveralChunks_CountsEverySlotHeldAndEveryBucket()
    {
        var store = new CacheStore(new StoreOptions { CapacityBytes = 64L << 20, ShardCount = 1 });
        const int keys = (4 * ChunkSlots) + 1;
        for (int i = 0; i < keys; i++)
        {
            store.Set(Key(i), Key(i));
        }

        // Five chunks of 512 twenty-byte slots, and 2,048 four-byte buckets (2,049 keys are more than two a bucket for 1,024).
        Assert.Equal((5 * ChunkSlots * 20) + (2048 * 4), store.IndexBytes());
    }

    [Fact]
    public void Insert_FewKeys_HoldsFewSlots()
    {
        var store = new CacheStore(new StoreOptions { CapacityBytes = 64L << 20, ShardCount = 1 });
        for (int i = 0; i < 20; i++)
        {
            store.Set(Key(i), Key(i));
        }

        Assert.Equal(32, store.Shards[0].SlotsHeld);
    }

    [Fact]
    public void Evict_WithEntriesInSeveralChunks_TakesTheLeastRecentlyUsedAndReusesItsSlot()
    {
        const int entries = (2 * ChunkSlots) + 100;
        var clock = new ManualClock();
        CacheStore store = StoreTestKit.NewSingleShardStore(clock, entries);
        for (int i = 0; i < entries; i++)
        {
            Assert.Equal(StoreStatus.Ok, store.Set(SmallKey(i), StoreTestKit.SmallValue('v')));
        }

        // Reading the oldest makes the second oldest the least recently used.
        Assert.Equal(StoreStatus.Ok, store.Get(SmallKey(0), out _));
        Assert.Equal(StoreStatus.Ok, store.Set(SmallKey(entries), StoreTestKit.SmallValue('w')));

        Assert.Equal(StoreStatus.NotFound, store.Get(SmallKey(1), out _));
        Assert.Equal(StoreStatus.Ok, store.Get(SmallKey(0), out _));
        Assert.Equal(StoreStatus.Ok, store.Get(SmallKey(entries), out _));
        Assert.Equal(entries, store.Count);
        Assert.True(store.Shards[0].SlotsHeld <= entries + ChunkSlots);
        store.CheckInvariants();
    }

    private static byte[] Key(int i) => StoreTestKit.Bytes($"key:{i:D12}");

    /// <summary>A 2-byte key, as <see cref="StoreTestKit.EntrySize"/> assumes.</summary>
    private static byte[] SmallKey(int i) => [(byte)(i >> 8), (byte)i];
}
