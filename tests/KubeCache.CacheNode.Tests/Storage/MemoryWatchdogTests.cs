using KubeCache.CacheNode.Storage;
using static KubeCache.CacheNode.Tests.Storage.StoreTestKit;

namespace KubeCache.CacheNode.Tests.Storage;

public sealed class MemoryWatchdogTests
{
    private readonly ManualClock _clock = new();

    private sealed class FakeProbe(bool underPressure) : IMemoryPressureProbe
    {
        public bool UnderPressure { get; set; } = underPressure;

        public int Calls { get; private set; }

        public bool IsUnderPressure()
        {
            Calls++;
            return UnderPressure;
        }
    }

    private CacheStore NewFilledStore(int keys = 2000)
    {
        CacheStore store = NewStore(_clock);
        for (int i = 0; i < keys; i++)
        {
            store.Set(Bytes($"key{i}"), new byte[100]);
        }

        return store;
    }

    [Fact]
    public void CheckOnce_NoPressure_EvictsNothing()
    {
        CacheStore store = NewFilledStore();
        var probe = new FakeProbe(underPressure: false);

        int evicted = new MemoryWatchdog(store, probe, new MemoryWatchdogOptions()).CheckOnce();

        Assert.Equal(0, evicted);
        Assert.Equal(1, probe.Calls);
        Assert.Equal(2000, store.Count);
        Assert.Equal(0, store.GetStats().PressureEvictions);
    }

    [Theory]
    [InlineData(0.9)]
    [InlineData(0.5)]
    [InlineData(0.1)]
    public void CheckOnce_UnderPressure_EvictsEachShardDownToLowWaterNotToZero(double lowWater)
    {
        CacheStore store = NewFilledStore();
        long[] before = store.Shards.Select(shard => shard.UsedBytes).ToArray();
        long entrySize = "key1000".Length + 100 + StoreOptions.EntryOverheadBytes;
        var watchdog = new MemoryWatchdog(store, new FakeProbe(true), new MemoryWatchdogOptions { LowWaterFraction = lowWater });

        int evicted = watchdog.CheckOnce();

        for (int i = 0; i < before.Length; i++)
        {
            long after = store.Shards[i].UsedBytes;
            Assert.InRange(after, (long)(before[i] * lowWater) - entrySize, (long)(before[i] * lowWater));
        }

        Assert.True(store.Count > 0);
        Assert.Equal(2000 - evicted, store.Count);
        StoreStats stats = store.GetStats();
        Assert.Equal(evicted, stats.PressureEvictions);
        Assert.Equal(0, stats.CapacityEvictions);
        store.CheckInvariants();
    }

    [Fact]
    public void CheckOnce_UnderPressure_KeepsMostRecentlyUsedEntries()
    {
        CacheStore store = NewFilledStore();
        for (int i = 0; i < 100; i++)
        {
            store.Get(Bytes($"key{i}"), out _);
        }

        new MemoryWatchdog(store, new FakeProbe(true), new MemoryWatchdogOptions { LowWaterFraction = 0.5 }).CheckOnce();

        for (int i = 0; i < 100; i++)
        {
            Assert.True(store.Exists(Bytes($"key{i}")), $"recently read key{i} was evicted");
        }
    }

    [Fact]
    public void CheckOnce_RepeatedPressure_ShedsGeometricallyUntilPressureEnds()
    {
        CacheStore store = NewFilledStore();
        var probe = new FakeProbe(true);
        var watchdog = new MemoryWatchdog(store, probe, new MemoryWatchdogOptions());
        long start = store.GetStats().UsedBytes;

        for (int i = 0; i < 3; i++)
        {
            Assert.True(watchdog.CheckOnce() > 0);
        }

        long used = store.GetStats().UsedBytes;
        Assert.InRange(used, (long)(start * 0.65), (long)(start * 0.9 * 0.9 * 0.9));
        probe.UnderPressure = false;
        long count = store.Count;
        Assert.Equal(0, watchdog.CheckOnce());
        Assert.Equal(count, store.Count);
    }

    [Fact]
    public void CheckOnce_ExpiredEntriesUnderPressure_CountAsExpirations()
    {
        CacheStore store = NewStore(_clock);
        for (int i = 0; i < 100; i++)
        {
            store.Set(Bytes($"key{i}"), new byte[100], Expiry.After(10));
        }

        _clock.AdvanceMilliseconds(10);
        int evicted = new MemoryWatchdog(store, new FakeProbe(true), new MemoryWatchdogOptions { LowWaterFraction = 0.5 }).CheckOnce();

        StoreStats stats = store.GetStats();
        Assert.True(evicted > 0);
        Assert.Equal(0, stats.PressureEvictions);
        Assert.Equal(evicted, stats.Expirations);
    }
}

public class MemoryWatchdogOptionsTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.5)]
    [InlineData(double.NaN)]
    public void Create_LowWaterFractionOutOfRange_IsRefusedSoTheCacheIsNeverCleared(double fraction)
    {
        var store = new CacheStore(new StoreOptions { CapacityBytes = 1L << 20, ShardCount = 1, MaxValueBytes = 1024 });

        var error = Assert.Throws<ArgumentException>(() => new MemoryWatchdog(
            store, new GcMemoryPressureProbe(), new MemoryWatchdogOptions { LowWaterFraction = fraction }));

        Assert.Contains("low-water fraction", error.Message, StringComparison.Ordinal);
    }
}
