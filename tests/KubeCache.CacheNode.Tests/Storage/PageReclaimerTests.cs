using System.Text;
using KubeCache.CacheNode.Storage;
using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Storage;

/// <summary>
/// Dropped record pages wait for a full collection; the store counts them and asks for one at its
/// threshold. What this keeps free in a real container is shown by <c>CgroupMemoryTests</c>.
/// </summary>
public sealed class PageReclaimerTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Dropped_BelowThenAtTheThreshold_AsksForOneFullCollectionOnlyAtIt()
    {
        var reclaimer = new PageReclaimer(thresholdBytes: 1000);
        using var stop = new CancellationTokenSource();
        Task loop = reclaimer.RunAsync(stop.Token);

        reclaimer.Dropped(600);
        await Task.Delay(200);
        Assert.Equal(0, reclaimer.Collections);
        Assert.Equal(600, reclaimer.DroppedBytes);

        // Whether the GC then ran one is not asserted: a background collection already under way
        // (other tests allocate in this process) takes the request. CgroupMemoryTests shows the effect.
        reclaimer.Dropped(400);
        await Poll.UntilAsync(() => reclaimer.Collections == 1, "the reclaimer to ask for a collection", Deadline, TimeSpan.FromMilliseconds(10));
        Assert.Equal(0, reclaimer.DroppedBytes);

        await stop.CancelAsync();
        await loop;
    }

    [Fact]
    public async Task Dropped_ManyTimesPastTheThresholdBeforeTheLoopRuns_AsksOnceThenAgainAtTheNextThreshold()
    {
        var reclaimer = new PageReclaimer(thresholdBytes: 100);
        for (int i = 0; i < 50; i++)
        {
            reclaimer.Dropped(100);
        }

        using var stop = new CancellationTokenSource();
        Task loop = reclaimer.RunAsync(stop.Token);
        await Poll.UntilAsync(() => reclaimer.Collections == 1, "the first collection", Deadline, TimeSpan.FromMilliseconds(10));
        await Task.Delay(200);
        Assert.Equal(1, reclaimer.Collections);

        reclaimer.Dropped(100);
        await Poll.UntilAsync(() => reclaimer.Collections == 2, "the second collection", Deadline, TimeSpan.FromMilliseconds(10));

        await stop.CancelAsync();
        await loop;
    }

    [Fact]
    public void Overwrites_PagesDroppedWholeOrCompacted_AreCounted()
    {
        var store = new CacheStore(new StoreOptions { CapacityBytes = 64L << 20, ShardCount = 1, ReclaimAfterDroppedBytes = long.MaxValue });
        var random = new Random(3);
        byte[] value = new byte[1000];
        long written = 0;
        for (int round = 0; round < 20; round++)
        {
            // A random half rewritten leaves pages partly live, so compaction drops some of them.
            for (int key = 0; key < 1000; key++)
            {
                if (round == 0 || random.Next(2) == 0)
                {
                    Assert.Equal(StoreStatus.Ok, store.Set(Key(key), value));
                    written += value.Length;
                }
            }
        }

        StoreStats stats = store.GetStats();
        Assert.True(stats.Compactions > 0, "the overwrites compacted nothing");
        Assert.True(store.Reclaimer.DroppedBytes >= written - stats.ArenaBytes,
            $"{written} bytes of values written and {stats.ArenaBytes} bytes of pages held, but only {store.Reclaimer.DroppedBytes} bytes of pages counted as dropped");
    }

    [Fact]
    public void Clear_EveryPageIsCountedAsDropped()
    {
        var store = new CacheStore(new StoreOptions { CapacityBytes = 64L << 20, ShardCount = 4, ReclaimAfterDroppedBytes = long.MaxValue });
        for (int key = 0; key < 2000; key++)
        {
            Assert.Equal(StoreStatus.Ok, store.Set(Key(key), new byte[500]));
        }

        long pages = store.GetStats().ArenaBytes;
        long before = store.Reclaimer.DroppedBytes;
        store.Clear();

        Assert.Equal(pages, store.Reclaimer.DroppedBytes - before);
    }

    [Fact]
    public void Options_ThresholdNotPositive_IsRefused()
    {
        var options = new StoreOptions { CapacityBytes = 1L << 20, ReclaimAfterDroppedBytes = 0 };

        ArgumentException refused = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains("dropped pages", refused.Message, StringComparison.Ordinal);
    }

    private static byte[] Key(int key) => Encoding.ASCII.GetBytes($"key:{key}");
}
