using System.Text;
using KubeCache.CacheNode.Storage;
using static KubeCache.CacheNode.Tests.Storage.StoreTestKit;

namespace KubeCache.CacheNode.Tests.Storage;

public sealed class CacheStoreScanTests
{
    private readonly ManualClock _clock = new();

    private static HashSet<string> Texts(IEnumerable<byte[]> keys) => keys.Select(Encoding.UTF8.GetString).ToHashSet();

    private CacheStore NewStoreWithKeys(int keys, int shards = 8)
    {
        var store = new CacheStore(new StoreOptions { CapacityBytes = 64L << 20, ShardCount = shards }, _clock);
        for (int i = 0; i < keys; i++)
        {
            store.SetText($"key{i}", "v");
        }

        return store;
    }

    [Fact]
    public void Scan_EmptyStore_FinishesAtOnceWithNoKeys()
    {
        CacheStore store = NewStore(_clock);
        var keys = new List<byte[]>();

        Assert.Equal(0UL, store.Scan(0, 10, keys));
        Assert.Empty(keys);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(10)]
    [InlineData(100_000)]
    public void Scan_SmallOrLargeCounts_ReturnsEveryKeyAcrossShards(int count)
    {
        CacheStore store = NewStoreWithKeys(500);

        List<byte[]> keys = store.ScanAll(count);

        HashSet<string> expected = Enumerable.Range(0, 500).Select(i => $"key{i}").ToHashSet();
        Assert.Equal(expected, Texts(keys));
        Assert.Equal(500, keys.Count);
    }

    [Fact]
    public void Scan_SingleShard_ReturnsEveryKey()
    {
        CacheStore store = NewStoreWithKeys(100, shards: 1);

        Assert.Equal(100, Texts(store.ScanAll(7)).Count);
    }

    [Fact]
    public void Scan_ExpiredKeys_AreSkipped()
    {
        CacheStore store = NewStoreWithKeys(50);
        store.SetText("gone", "v", Expiry.After(10));
        _clock.AdvanceMilliseconds(10);

        HashSet<string> keys = Texts(store.ScanAll(5));

        Assert.DoesNotContain("gone", keys);
        Assert.Equal(50, keys.Count);
    }

    [Fact]
    public void Scan_WhileKeysChurn_ReturnsEveryKeyPresentThroughout()
    {
        CacheStore store = NewStoreWithKeys(300);
        var keys = new List<byte[]>();
        ulong cursor = 0;
        int step = 0;
        do
        {
            cursor = store.Scan(cursor, 4, keys);
            step++;

            // Churn: delete and re-add other keys, grow the tables, and touch stable keys.
            store.Delete(Bytes($"churn{step - 1}"));
            store.SetText($"churn{step}", "v");
            store.SetText($"new{step}", "v");
            store.Get(Bytes($"key{step % 300}"), out _);
        }
        while (cursor != 0);

        HashSet<string> seen = Texts(keys);
        for (int i = 0; i < 300; i++)
        {
            Assert.Contains($"key{i}", seen);
        }
    }

    [Fact]
    public void Scan_CursorOfClearedStore_FinishesWithoutError()
    {
        CacheStore store = NewStoreWithKeys(1000, shards: 2);
        var keys = new List<byte[]>();
        ulong cursor = store.Scan(0, 300, keys);
        Assert.NotEqual(0UL, cursor);

        store.Clear();
        store.SetText("after", "v");

        int steps = 0;
        while (cursor != 0 && ++steps < 1000)
        {
            cursor = store.Scan(cursor, 300, keys);
        }

        Assert.Equal(0UL, cursor);
    }

    [Theory]
    [InlineData(0x0000_0000_FFFF_FFFFUL)]
    [InlineData(0x0000_0000_8000_0000UL)]
    [InlineData(0x0000_0001_FFFF_FFFFUL)]
    [InlineData(0xFFFF_FFFF_FFFF_FFFFUL)]
    public void Scan_CursorWithSlotAboveIntMax_RegressionDoesNotIndexOutOfRange(ulong cursor)
    {
        // A SCAN cursor comes from the client; a slot half of 2^31 or more turned into a negative
        // slot index and threw IndexOutOfRangeException inside the shard's lock.
        CacheStore store = NewStoreWithKeys(100, shards: 4);
        var keys = new List<byte[]>();

        int steps = 0;
        while (++steps < 1000)
        {
            cursor = store.Scan(cursor, 10, keys);
            if (cursor == 0)
            {
                break;
            }
        }

        Assert.Equal(0UL, cursor);
    }
}
