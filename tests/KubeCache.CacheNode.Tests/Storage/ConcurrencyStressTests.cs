using System.Collections.Concurrent;
using KubeCache.CacheNode.Storage;

namespace KubeCache.CacheNode.Tests.Storage;

/// <summary>
/// Many threads mixing every operation on a store small enough that eviction and expiry happen
/// all the time, on the real clock. Values check themselves, so a torn or foreign value fails
/// the test; the shards' accounting and LRU lists are checked while the threads run and after.
/// </summary>
public sealed class ConcurrencyStressTests
{
    private const int Workers = 8;
    private const int KeysPerKind = 96;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(2);

    private sealed class AlwaysUnderPressure : IMemoryPressureProbe
    {
        public bool IsUnderPressure() => true;
    }

    [Fact]
    public void MixedOperations_ManyThreadsWithEvictionAndShortTtls_KeepValuesAndInvariantsIntact()
    {
        // 4 shards of 4 KiB against ~96 blobs of ~330 bytes: every shard evicts constantly.
        var store = new CacheStore(new StoreOptions { CapacityBytes = 4 * 4096, ShardCount = 4, MaxKeyBytes = 16, MaxValueBytes = 512 });
        var keys = new StressKeySet(KeysPerKind);
        var failures = new ConcurrentQueue<string>();
        StressWorker[] workers = Enumerable.Range(0, Workers).Select(seed => new StressWorker(store, keys, seed, failures)).ToArray();
        int running = Workers;
        Thread[] threads = workers.Select(worker => new Thread(() =>
        {
            try
            {
                worker.Run(Duration, maxOperations: 5_000_000);
            }
            catch (Exception error)
            {
                failures.Enqueue($"worker threw {error}");
            }
            finally
            {
                Interlocked.Decrement(ref running);
            }
        })
        { IsBackground = true }).ToArray();

        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        int checks = CheckWhileRunning(store, () => Volatile.Read(ref running) > 0, failures);
        foreach (Thread thread in threads)
        {
            Assert.True(thread.Join(TimeSpan.FromSeconds(60)), "a worker did not finish");
        }

        Assert.True(failures.IsEmpty, $"{failures.Count} failures, first: {string.Join(Environment.NewLine, failures.Take(5))}");
        Assert.True(checks > 0, "the invariants were never checked while the workers ran");
        store.CheckInvariants();
        StoreStats stats = store.GetStats();
        Assert.True(stats.CapacityEvictions > 0, "the workload never filled a shard");
        Assert.True(stats.Expirations > 0, "no entry ever expired");
        Assert.True(stats.PressureEvictions > 0, "the watchdog never evicted");
        Assert.True(workers.Sum(worker => worker.Operations) > 10_000, "the workers barely ran");
        AssertScanAgreesWithCountAndBytes(store, keys);
    }

    /// <summary>
    /// From one thread while the workers run: checks the invariants and capacity, and runs the
    /// expiry cycle and the watchdog alongside them. Returns how many checks ran.
    /// </summary>
    private static int CheckWhileRunning(CacheStore store, Func<bool> workersRunning, ConcurrentQueue<string> failures)
    {
        var cycle = new ExpiryCycle(store);
        var watchdog = new MemoryWatchdog(store, new AlwaysUnderPressure(), new MemoryWatchdogOptions { LowWaterFraction = 0.9 });
        int checks = 0;
        while (workersRunning())
        {
            try
            {
                store.CheckInvariants();
                StoreStats stats = store.GetStats();
                if (stats.UsedBytes > stats.CapacityBytes)
                {
                    failures.Enqueue($"used bytes {stats.UsedBytes} exceed capacity {stats.CapacityBytes}");
                }

                cycle.RunOnce();
                if (checks % 16 == 0)
                {
                    watchdog.CheckOnce();
                }
            }
            catch (InvalidOperationException error)
            {
                failures.Enqueue($"invariant broken while running: {error.Message}");
            }

            checks++;
            Thread.Yield();
        }

        return checks;
    }

    /// <summary>
    /// Once the workers stop, removes every TTL (which also reclaims entries already expired) so
    /// nothing changes under the real clock, then compares a full SCAN with Count and UsedBytes.
    /// </summary>
    private static void AssertScanAgreesWithCountAndBytes(CacheStore store, StressKeySet keys)
    {
        foreach (byte[] key in keys.All)
        {
            store.Persist(key);
        }

        List<byte[]> scanned = store.ScanAll(count: 3);
        long bytes = 0;
        foreach (byte[] key in scanned)
        {
            Assert.Equal(StoreStatus.Ok, store.Get(key, out ReadOnlyMemory<byte> value));
            Assert.Null(StressKeySet.Check(key, value.Span));
            bytes += key.Length + value.Length + StoreOptions.EntryOverheadBytes;
        }

        Assert.Equal(scanned.Count, scanned.Select(Convert.ToHexString).Distinct().Count());
        Assert.Equal(scanned.Count, store.Count);
        Assert.Equal(store.Count, store.GetStats().Items);
        Assert.Equal(bytes, store.GetStats().UsedBytes);
        store.CheckInvariants();
    }
}
