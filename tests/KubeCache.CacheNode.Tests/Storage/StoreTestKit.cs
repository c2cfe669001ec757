using System.Text;
using KubeCache.CacheNode.Storage;

namespace KubeCache.CacheNode.Tests.Storage;

/// <summary>Small helpers shared by the storage tests.</summary>
internal static class StoreTestKit
{
    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>
    /// Runs <paramref name="work"/> on a thread of its own. Workers that spin until a deadline must
    /// not share the thread pool: on two cores, readers that took its threads kept two tests' writers
    /// from starting for all of their 2 seconds ("only 0 writes ran") while the pool added threads.
    /// </summary>
    public static Task OnOwnThread(Action work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>A store with room to spare, four shards and a manual clock.</summary>
    public static CacheStore NewStore(ManualClock clock, TimeSpan? defaultTtl = null) =>
        new(new StoreOptions { CapacityBytes = 64L << 20, ShardCount = 4, DefaultTtl = defaultTtl }, clock);

    /// <summary>One shard holding exactly <paramref name="entries"/> entries of <see cref="EntrySize"/> bytes.</summary>
    public static CacheStore NewSingleShardStore(ManualClock clock, int entries) =>
        new(new StoreOptions { CapacityBytes = entries * EntrySize, ShardCount = 1, MaxKeyBytes = 8, MaxValueBytes = 16 }, clock);

    /// <summary>Size of an entry with a 2-byte key and a <see cref="SmallValue"/>.</summary>
    public const int EntrySize = 2 + 10 + StoreOptions.EntryOverheadBytes;

    /// <summary>A 10-byte value, so every entry of a 2-byte key costs <see cref="EntrySize"/>.</summary>
    public static byte[] SmallValue(char fill) => Bytes(new string(fill, 10));

    /// <summary>The value as UTF-8 text, or null on a miss.</summary>
    public static string? GetText(this CacheStore store, string key) =>
        store.Get(Bytes(key), out ReadOnlyMemory<byte> value) == StoreStatus.Ok ? Encoding.UTF8.GetString(value.Span) : null;

    public static StoreStatus SetText(this CacheStore store, string key, string value, Expiry expiry = default) =>
        store.Set(Bytes(key), Bytes(value), expiry);

    /// <summary>Stores <paramref name="encoded"/> as a hash's encoding, which the store does not read (an empty one removes the key).</summary>
    public static StoreStatus SetHash(this CacheStore store, byte[] key, byte[] encoded) => store.Edit(key, ValueKind.Hash, ref encoded, Replace);

    /// <summary>An edit that replaces the value with its state.</summary>
    public static StoreStatus Replace(ReadOnlySpan<byte> current, bool exists, ref byte[] state, out Replacement replacement)
    {
        replacement = Replacement.Of(state);
        return StoreStatus.Ok;
    }

    public static long Ttl(this CacheStore store, string key)
    {
        Assert.Equal(StoreStatus.Ok, store.TimeToLive(Bytes(key), out long milliseconds));
        return milliseconds;
    }

    /// <summary>Every key a full SCAN returns, walking <paramref name="count"/> slots per step.</summary>
    public static List<byte[]> ScanAll(this CacheStore store, int count)
    {
        var keys = new List<byte[]>();
        ulong cursor = 0;
        int steps = 0;
        do
        {
            cursor = store.Scan(cursor, count, keys);
            Assert.True(++steps < 10_000_000, "SCAN did not finish");
        }
        while (cursor != 0);

        return keys;
    }
}
