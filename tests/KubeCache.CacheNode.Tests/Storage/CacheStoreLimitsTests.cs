using KubeCache.CacheNode.Storage;
using static KubeCache.CacheNode.Tests.Storage.StoreTestKit;

namespace KubeCache.CacheNode.Tests.Storage;

public sealed class CacheStoreLimitsTests
{
    private const int MaxKey = 16;
    private const int MaxValue = 100;

    /// <summary>The smallest capacity Validate accepts: one shard holding exactly one largest entry.</summary>
    private const long TightCapacity = MaxKey + MaxValue + StoreOptions.EntryOverheadBytes;

    private readonly ManualClock _clock = new();

    private CacheStore NewLimitedStore(long capacity = 1 << 20) =>
        new(new StoreOptions { CapacityBytes = capacity, ShardCount = 1, MaxKeyBytes = MaxKey, MaxValueBytes = MaxValue }, _clock);

    [Fact]
    public void Set_KeyAtMaxKeyBytes_IsAccepted()
    {
        CacheStore store = NewLimitedStore();

        Assert.Equal(StoreStatus.Ok, store.Set(new byte[MaxKey], Bytes("v")));
    }

    [Fact]
    public void Set_KeyOverMaxKeyBytes_ReturnsKeyTooLargeAndStoresNothing()
    {
        CacheStore store = NewLimitedStore();

        Assert.Equal(StoreStatus.KeyTooLarge, store.Set(new byte[MaxKey + 1], Bytes("v")));
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public void Set_ValueOverMaxValueBytes_ReturnsValueTooLargeAndKeepsOldValue()
    {
        CacheStore store = NewLimitedStore();
        store.SetText("k", "old");

        Assert.Equal(StoreStatus.ValueTooLarge, store.Set(Bytes("k"), new byte[MaxValue + 1]));

        Assert.Equal("old", store.GetText("k"));
        Assert.Equal(StoreStatus.Ok, store.Set(Bytes("k"), new byte[MaxValue]));
    }

    [Fact]
    public void Append_ResultBeyondMaxValueBytes_ReturnsValueTooLargeAndKeepsValue()
    {
        CacheStore store = NewLimitedStore();
        store.Set(Bytes("k"), new byte[MaxValue - 1]);

        Assert.Equal(StoreStatus.ValueTooLarge, store.Append(Bytes("k"), Bytes("xy"), out _));

        Assert.Equal(StoreStatus.Ok, store.Get(Bytes("k"), out ReadOnlyMemory<byte> value));
        Assert.Equal(MaxValue - 1, value.Length);
        Assert.Equal(StoreStatus.Ok, store.Append(Bytes("k"), Bytes("x"), out long length));
        Assert.Equal(MaxValue, length);
    }

    [Fact]
    public void Append_SuffixAloneOverMaxValueBytes_ReturnsValueTooLarge()
    {
        CacheStore store = NewLimitedStore();

        Assert.Equal(StoreStatus.ValueTooLarge, store.Append(Bytes("k"), new byte[MaxValue + 1], out _));
        Assert.False(store.Exists(Bytes("k")));
    }

    [Fact]
    public void IncrementByAndAppend_KeyOverMaxKeyBytes_ReturnKeyTooLarge()
    {
        CacheStore store = NewLimitedStore();
        byte[] key = new byte[MaxKey + 1];

        Assert.Equal(StoreStatus.KeyTooLarge, store.IncrementBy(key, 1, out _));
        Assert.Equal(StoreStatus.KeyTooLarge, store.Append(key, Bytes("x"), out _));
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public void Set_LargestEntryInSmallestValidShard_FitsAndEvictsTheRest()
    {
        CacheStore store = NewLimitedStore(TightCapacity);
        store.SetText("a", "small");

        Assert.Equal(StoreStatus.Ok, store.Set(new byte[MaxKey], new byte[MaxValue]));

        Assert.Equal(1, store.Count);
        Assert.Equal(TightCapacity, store.GetStats().UsedBytes);
        Assert.False(store.Exists(Bytes("a")));
        store.CheckInvariants();
    }

    [Fact]
    public void Append_GrowingToLargestEntryInSmallestValidShard_Fits()
    {
        CacheStore store = NewLimitedStore(TightCapacity);
        byte[] key = new byte[MaxKey];
        store.Set(key, new byte[MaxValue / 2]);

        Assert.Equal(StoreStatus.Ok, store.Append(key, new byte[MaxValue - (MaxValue / 2)], out long length));

        Assert.Equal(MaxValue, length);
        store.CheckInvariants();
    }

    /// <summary>
    /// Validate guarantees every entry the key and value limits allow fits in a shard, so no public
    /// write can reach this status; the shard still refuses an oversized entry instead of breaking
    /// its capacity bound, which is checked here through the shard itself.
    /// </summary>
    [Fact]
    public void ShardSet_EntryLargerThanShard_ReturnsEntryTooLargeAndChangesNothing()
    {
        CacheStore store = NewLimitedStore(TightCapacity);
        store.SetText("a", "small");
        Shard shard = store.Shards[0];
        byte[] key = Bytes("big");
        byte[] data = new byte[TightCapacity - StoreOptions.EntryOverheadBytes + 1];
        key.CopyTo(data, 0);

        StoreStatus status = shard.Set(key, 42, data, ValueKind.String, Expiry.Default, SetCondition.Always, getPrevious: true, out ReadOnlyMemory<byte>? previous);

        Assert.Equal(StoreStatus.EntryTooLarge, status);
        Assert.Null(previous);
        Assert.Equal("small", store.GetText("a"));
        store.CheckInvariants();
    }
}
