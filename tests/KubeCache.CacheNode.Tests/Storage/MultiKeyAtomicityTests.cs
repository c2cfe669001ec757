using KubeCache.CacheNode.Storage;

namespace KubeCache.CacheNode.Tests.Storage;

/// <summary>
/// RENAME, COPY and MSETNX hold the locks of every shard their keys are in. Concurrent renames
/// between keys of different shards must neither lose nor duplicate a value, and must never
/// wait on each other in a circle.
/// </summary>
public sealed class MultiKeyAtomicityTests
{
    private const int Threads = 4;
    private const int Names = 4;
    private const int Values = 2;
    private const int RenamesPerThread = 20_000;

    /// <summary>Large values make each copy take a while, which widens the window a rename without its locks would race in.</summary>
    private const int ValueBytes = 32 * 1024;

    [Fact]
    public async Task RenameNx_ManyThreadsAcrossShards_EveryValueKeptExactlyOnce()
    {
        var store = new CacheStore(new StoreOptions { CapacityBytes = 16L << 20, ShardCount = 16, MaxValueBytes = ValueBytes });
        byte[][] names = [.. Enumerable.Range(0, Names).Select(i => StoreTestKit.Bytes($"k{i}"))];
        for (int i = 0; i < Values; i++)
        {
            Assert.Equal(StoreStatus.Ok, store.Set(names[i], StoreTestKit.Bytes($"v{i}".PadRight(ValueBytes, '.'))));
        }

        Task[] workers = [.. Enumerable.Range(0, Threads).Select(seed => Task.Run(() =>
        {
            var random = new Random(seed);
            for (int i = 0; i < RenamesPerThread; i++)
            {
                // RENAMENX never overwrites, so every value moves and none is dropped.
                StoreStatus status = store.Transfer(names[random.Next(Names)], names[random.Next(Names)], replace: false, keepSource: false);
                Assert.True(status is StoreStatus.Ok or StoreStatus.NotFound or StoreStatus.NotSet, $"Transfer answered {status}");
            }
        }))];
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromMinutes(2));

        var held = new List<string>();
        foreach (byte[] name in names)
        {
            if (store.Get(name, out ReadOnlyMemory<byte> value) == StoreStatus.Ok)
            {
                held.Add(System.Text.Encoding.ASCII.GetString(value.Span).TrimEnd('.'));
            }
        }

        Assert.Equal(Enumerable.Range(0, Values).Select(i => $"v{i}").Order(), held.Order());
        store.CheckInvariants();
    }
}
