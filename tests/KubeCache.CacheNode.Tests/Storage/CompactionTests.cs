using System.Collections.Concurrent;
using KubeCache.CacheNode.Storage;

namespace KubeCache.CacheNode.Tests.Storage;

/// <summary>
/// Overwrites leave garbage in a shard's record pages; compaction moves live records and drops
/// pages. These tests make it run and check that nothing a reader holds or reads changes.
/// </summary>
public sealed class CompactionTests
{
    [Fact]
    public void Overwrites_ManyRounds_CompactPagesAndKeepEveryValue()
    {
        var store = new CacheStore(new StoreOptions { CapacityBytes = 8L << 20, ShardCount = 2, MaxKeyBytes = 16, MaxValueBytes = 4096 });
        var random = new Random(7);
        var expected = new Dictionary<int, byte[]>();
        for (int round = 0; round < 40; round++)
        {
            // Rewriting a random half leaves every page partly live, so only compaction can reclaim it.
            for (int key = 0; key < 500; key++)
            {
                if (round > 0 && random.Next(2) == 0)
                {
                    continue;
                }

                byte[] value = SelfVerifyingValues.Blob(key, (uint)round, random.Next(0, 600));
                Assert.Equal(StoreStatus.Ok, store.Set(Key(key), value));
                expected[key] = value;
            }
        }

        StoreStats stats = store.GetStats();
        Assert.True(stats.Compactions > 0, "overwrites never triggered a compaction");
        Assert.Equal(0, stats.CapacityEvictions);
        store.CheckInvariants();
        foreach ((int key, byte[] value) in expected)
        {
            Assert.Equal(StoreStatus.Ok, store.Get(Key(key), out ReadOnlyMemory<byte> stored));
            Assert.True(stored.Span.SequenceEqual(value), $"key {key} changed");
        }

        // Per shard, garbage may reach an eighth of the pages or two pages, plus the tail's unwritten room.
        long live = expected.Sum(pair => (long)RecordArena.RecordSize(Key(pair.Key).Length, pair.Value.Length, hasExpiry: false));
        long bound = (live * 8 / 7) + (2 * 3L * RecordArena.PageBytes);
        Assert.True(stats.ArenaBytes <= bound, $"pages hold {stats.ArenaBytes} bytes for {live} live bytes");
    }

    [Fact]
    public void ValueHandedOut_ThenPageCompacted_StaysIntact()
    {
        var store = new CacheStore(new StoreOptions { CapacityBytes = 8L << 20, ShardCount = 1, MaxKeyBytes = 16, MaxValueBytes = 4096 });
        byte[] original = SelfVerifyingValues.Blob(1, 1, 300);
        store.Set(Key(1), original);
        Assert.Equal(StoreStatus.Ok, store.Get(Key(1), out ReadOnlyMemory<byte> held));

        for (int round = 0; round < 30; round++)
        {
            for (int key = 2; key < 2000; key += 1 + (round % 3))
            {
                store.Set(Key(key), SelfVerifyingValues.Blob(key, (uint)round, 300));
            }

            store.Set(Key(1), SelfVerifyingValues.Blob(1, (uint)round + 2, 300));
        }

        Assert.True(store.GetStats().Compactions > 0, "no compaction ran");
        Assert.True(held.Span.SequenceEqual(original), "a value handed out before compaction changed");
    }

    [Fact]
    public void Overwrites_ManyThreads_ReadersNeverSeeTornValuesWhilePagesCompact()
    {
        var store = new CacheStore(new StoreOptions { CapacityBytes = 16L << 20, ShardCount = 2, MaxKeyBytes = 16, MaxValueBytes = 4096 });
        var failures = new ConcurrentQueue<string>();
        long deadline = Environment.TickCount64 + 1500;
        Thread[] threads = Enumerable.Range(0, 6).Select(seed => new Thread(() =>
        {
            var random = new Random(seed);
            for (uint version = 0; Environment.TickCount64 < deadline; version++)
            {
                int key = random.Next(0, 300);
                if (seed % 2 == 0)
                {
                    store.Set(Key(key), SelfVerifyingValues.Blob(key, version, random.Next(0, 1500)));
                }
                else if (store.Get(Key(key), out ReadOnlyMemory<byte> value) == StoreStatus.Ok
                    && SelfVerifyingValues.CheckBlob(key, value.Span) is { } problem)
                {
                    failures.Enqueue(problem);
                }
            }
        })).ToArray();

        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        foreach (Thread thread in threads)
        {
            Assert.True(thread.Join(TimeSpan.FromSeconds(60)), "a thread did not finish");
        }

        Assert.True(failures.IsEmpty, string.Join(Environment.NewLine, failures.Take(5)));
        Assert.True(store.GetStats().Compactions > 0, "no compaction ran");
        store.CheckInvariants();
    }

    /// <summary>
    /// A deleted key's slot is reused by another key while the old record still lies in a page:
    /// that record names the slot, but the slot no longer points at it, so compaction must take
    /// it for garbage, neither moving it nor pointing the new key's slot at it.
    /// </summary>
    [Fact]
    public void SlotsReusedAfterDeletes_ThenPagesCompacted_OldRecordsAreGarbage()
    {
        var store = new CacheStore(new StoreOptions { CapacityBytes = 8L << 20, ShardCount = 1, MaxKeyBytes = 16, MaxValueBytes = 4096 });
        var random = new Random(11);
        var expected = new Dictionary<int, byte[]>();
        for (int round = 0; round < 30; round++)
        {
            for (int key = 0; key < 400; key++)
            {
                int id = (round * 400) + key;
                if (random.Next(3) == 0 && expected.Count > 0)
                {
                    int victim = expected.Keys.ElementAt(random.Next(expected.Count));
                    Assert.Equal(StoreStatus.Ok, store.Delete(Key(victim)));
                    expected.Remove(victim);
                }

                byte[] value = SelfVerifyingValues.Blob(id, (uint)round, random.Next(0, 400));
                Assert.Equal(StoreStatus.Ok, store.Set(Key(id), value));
                expected[id] = value;
            }
        }

        Assert.True(store.GetStats().Compactions > 0, "no compaction ran");
        store.CheckInvariants();
        foreach ((int key, byte[] value) in expected)
        {
            Assert.Equal(StoreStatus.Ok, store.Get(Key(key), out ReadOnlyMemory<byte> stored));
            Assert.True(stored.Span.SequenceEqual(value), $"key {key} changed");
        }
    }

    private static byte[] Key(int id) => StoreTestKit.Bytes($"key:{id}");
}
