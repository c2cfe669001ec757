using KubeCache.CacheNode.Storage;
using static KubeCache.CacheNode.Tests.Storage.StoreTestKit;

namespace KubeCache.CacheNode.Tests.Storage;

public sealed class CacheStoreLruTests
{
    private readonly ManualClock _clock = new();

    private static void Put(CacheStore store, string key, char fill = 'v', Expiry expiry = default) =>
        Assert.Equal(StoreStatus.Ok, store.Set(Bytes(key), SmallValue(fill), expiry));

    [Fact]
    public void Set_EntrySize_IsKeyPlusValuePlusOverhead()
    {
        CacheStore store = NewStore(_clock);

        store.Set(Bytes("abc"), new byte[1000]);
        store.Set([], []);

        Assert.Equal(3 + 1000 + StoreOptions.EntryOverheadBytes + StoreOptions.EntryOverheadBytes, store.GetStats().UsedBytes);
    }

    [Fact]
    public void Set_ShardFull_EvictsLeastRecentlyUsedFirst()
    {
        CacheStore store = NewSingleShardStore(_clock, entries: 3);
        Put(store, "k1");
        Put(store, "k2");
        Put(store, "k3");

        Put(store, "k4");

        Assert.False(store.Exists(Bytes("k1")));
        Assert.True(store.Exists(Bytes("k2")));
        Assert.True(store.Exists(Bytes("k3")));
        Assert.True(store.Exists(Bytes("k4")));
        Assert.Equal(3L * EntrySize, store.GetStats().UsedBytes);
    }

    [Fact]
    public void Get_OldestKey_RefreshesItsRecency()
    {
        CacheStore store = NewSingleShardStore(_clock, entries: 3);
        Put(store, "k1");
        Put(store, "k2");
        Put(store, "k3");

        store.Get(Bytes("k1"), out _);
        Put(store, "k4");

        Assert.True(store.Exists(Bytes("k1")));
        Assert.False(store.Exists(Bytes("k2")));
    }

    [Fact]
    public void ExistsAndOverwrite_OldestKey_RefreshItsRecency()
    {
        CacheStore store = NewSingleShardStore(_clock, entries: 3);
        Put(store, "k1");
        Put(store, "k2");
        Put(store, "k3");

        store.Exists(Bytes("k1"));
        Put(store, "k2", 'w');
        Put(store, "k4");

        Assert.False(store.Exists(Bytes("k3")));
        Assert.True(store.Exists(Bytes("k1")));
        Assert.True(store.Exists(Bytes("k2")));
    }

    [Fact]
    public void Set_ShardFull_CountsCapacityEvictions()
    {
        CacheStore store = NewSingleShardStore(_clock, entries: 3);

        for (int i = 0; i < 10; i++)
        {
            Put(store, $"k{i}");
        }

        StoreStats stats = store.GetStats();
        Assert.Equal(7, stats.CapacityEvictions);
        Assert.Equal(3, stats.Items);
        Assert.Equal(0, stats.Expirations);
    }

    [Fact]
    public void Set_EvictingExpiredTail_CountsExpirationNotEviction()
    {
        CacheStore store = NewSingleShardStore(_clock, entries: 3);
        Put(store, "k1", expiry: Expiry.After(10));
        Put(store, "k2");
        Put(store, "k3");
        _clock.AdvanceMilliseconds(10);

        Put(store, "k4");

        StoreStats stats = store.GetStats();
        Assert.Equal(0, stats.CapacityEvictions);
        Assert.Equal(1, stats.Expirations);
    }

    [Fact]
    public void Set_GrowingValue_EvictsOthersButNeverItself()
    {
        CacheStore store = NewSingleShardStore(_clock, entries: 3);
        Put(store, "k1");
        Put(store, "k2");
        Put(store, "k3");

        Assert.Equal(StoreStatus.Ok, store.Set(Bytes("k1"), new byte[16]));

        Assert.True(store.Exists(Bytes("k1")));
        Assert.False(store.Exists(Bytes("k2")));
        Assert.True(store.Exists(Bytes("k3")));
        store.CheckInvariants();
    }

    [Fact]
    public void Append_GrowingValue_EvictsLeastRecentlyUsed()
    {
        CacheStore store = NewSingleShardStore(_clock, entries: 3);
        Put(store, "k1");
        Put(store, "k2");
        Put(store, "k3");

        Assert.Equal(StoreStatus.Ok, store.Append(Bytes("k2"), Bytes("x"), out _));

        Assert.False(store.Exists(Bytes("k1")));
        Assert.True(store.Exists(Bytes("k2")));
        store.CheckInvariants();
    }

    /// <summary>
    /// UsedBytes is read without the shard's lock (GetStats, metrics), so it must stay within
    /// capacity at every instant: writes inserted first and evicted afterwards, so readers could
    /// see a shard over capacity by up to one entry. The clock is read between those steps, which
    /// is where this test looks.
    /// </summary>
    [Theory]
    [InlineData("set")]
    [InlineData("append")]
    public void Write_WhileEvicting_RegressionUsedBytesNeverSeenAboveCapacity(string operation)
    {
        CacheStore store = NewSingleShardStore(_clock, entries: 3);
        Put(store, "k1", expiry: Expiry.After(60_000));
        Put(store, "k2", expiry: Expiry.After(60_000));
        Put(store, "k3", expiry: Expiry.After(60_000));
        long highest = 0;
        _clock.OnRead = () => highest = Math.Max(highest, store.Shards[0].UsedBytes);

        if (operation == "set")
        {
            store.Set(Bytes("k4"), new byte[16], Expiry.After(60_000));
        }
        else
        {
            store.Append(Bytes("k4"), new byte[16], out _);
        }

        _clock.OnRead = null;
        Assert.True(highest > 0, "the clock was never read during the write");
        Assert.InRange(highest, 0, 3L * EntrySize);
        store.CheckInvariants();
    }

    [Fact]
    public void Set_RandomWorkload_UsedBytesNeverExceedsCapacity()
    {
        var store = new CacheStore(
            new StoreOptions { CapacityBytes = 4 * 2048, ShardCount = 4, MaxKeyBytes = 16, MaxValueBytes = 1024 },
            _clock);
        var random = new Random(1234);

        for (int i = 0; i < 5000; i++)
        {
            byte[] key = Bytes($"k{random.Next(200)}");
            switch (random.Next(4))
            {
                case 0:
                    store.Append(key, new byte[random.Next(64)], out _);
                    break;
                case 1:
                    store.Delete(key);
                    break;
                default:
                    store.Set(key, new byte[random.Next(1025)]);
                    break;
            }

            StoreStats stats = store.GetStats();
            Assert.True(stats.UsedBytes <= stats.CapacityBytes, $"{stats.UsedBytes} > {stats.CapacityBytes} after {i} operations");
            if (i % 100 == 0)
            {
                store.CheckInvariants();
            }
        }

        Assert.True(store.GetStats().CapacityEvictions > 0);
        store.CheckInvariants();
    }
}
