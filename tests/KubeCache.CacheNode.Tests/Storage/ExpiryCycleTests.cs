using System.Diagnostics;
using KubeCache.CacheNode.Storage;

namespace KubeCache.CacheNode.Tests.Storage;

public sealed class ExpiryCycleTests
{
    private readonly ManualClock _clock = new();

    /// <summary>A budget generous enough that a busy test machine cannot cut a cycle short.</summary>
    private CacheStore NewStore() => new(
        new StoreOptions { CapacityBytes = 64L << 20, ShardCount = 4, ExpiryCycleBudget = TimeSpan.FromSeconds(5) },
        _clock);

    [Fact]
    public void RunOnce_ExpiredEntriesNobodyReads_AreReclaimedAndLiveOnesKept()
    {
        CacheStore store = NewStore();
        for (int i = 0; i < 100; i++)
        {
            store.SetText($"short{i}", "v", Expiry.After(1000));
            store.SetText($"long{i}", "v", Expiry.After(60_000));
            store.SetText($"forever{i}", "v");
        }

        _clock.AdvanceMilliseconds(1000);
        Assert.Equal(300, store.Count);

        int removed = new ExpiryCycle(store).RunOnce();

        Assert.Equal(100, removed);
        Assert.Equal(200, store.Count);
        Assert.Equal(100, store.GetStats().Expirations);
        long liveBytes = Enumerable.Range(0, 100)
            .Sum(i => $"long{i}".Length + $"forever{i}".Length + (2L * (1 + StoreOptions.EntryOverheadBytes)));
        Assert.Equal(liveBytes, store.GetStats().UsedBytes);
        Assert.Equal("v", store.GetText("long7"));
        Assert.Equal("v", store.GetText("forever7"));
        store.CheckInvariants();
    }

    [Fact]
    public void RunOnce_NothingExpired_RemovesNothing()
    {
        CacheStore store = NewStore();
        for (int i = 0; i < 100; i++)
        {
            store.SetText($"k{i}", "v", Expiry.After(1000));
        }

        _clock.AdvanceMilliseconds(999);

        Assert.Equal(0, new ExpiryCycle(store).RunOnce());
        Assert.Equal(100, store.Count);
    }

    [Fact]
    public void RunOnce_MoreExpiredSlotsThanOneStep_ReclaimsAll()
    {
        CacheStore store = NewStore();
        const int keys = 4000;
        for (int i = 0; i < keys; i++)
        {
            store.SetText($"k{i}", "v", Expiry.After(1 + (i % 7)));
        }

        _clock.AdvanceMilliseconds(8);

        Assert.Equal(keys, new ExpiryCycle(store).RunOnce());
        Assert.Equal(0, store.Count);
        Assert.Equal(0, store.GetStats().UsedBytes);
        store.CheckInvariants();
    }

    [Fact]
    public void RunOnce_AfterClear_StaleCursorsStillWork()
    {
        CacheStore store = NewStore();
        var cycle = new ExpiryCycle(store);
        for (int i = 0; i < 2000; i++)
        {
            store.SetText($"k{i}", "v", Expiry.After(10));
        }

        _clock.AdvanceMilliseconds(10);
        cycle.RunOnce();
        store.Clear();
        store.SetText("x", "v", Expiry.After(10));
        _clock.AdvanceMilliseconds(10);

        Assert.Equal(1, cycle.RunOnce());
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public async Task RunAsync_WhileRunning_ReclaimsExpiredEntriesAndStopsOnCancel()
    {
        var store = new CacheStore(
            new StoreOptions { CapacityBytes = 1 << 20, ShardCount = 2, MaxValueBytes = 1024, ExpiryCycleInterval = TimeSpan.FromMilliseconds(5) },
            _clock);
        for (int i = 0; i < 50; i++)
        {
            store.SetText($"k{i}", "v", Expiry.After(10));
        }

        _clock.AdvanceMilliseconds(10);
        using var cancellation = new CancellationTokenSource();
        Task running = new ExpiryCycle(store).RunAsync(cancellation.Token);

        var deadline = Stopwatch.StartNew();
        while (store.Count > 0 && deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(5);
        }

        await cancellation.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, store.Count);
    }
}
