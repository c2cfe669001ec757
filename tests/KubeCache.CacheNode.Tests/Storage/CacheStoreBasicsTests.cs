using KubeCache.CacheNode.Storage;
using static KubeCache.CacheNode.Tests.Storage.StoreTestKit;

namespace KubeCache.CacheNode.Tests.Storage;

public sealed class CacheStoreBasicsTests
{
    private readonly ManualClock _clock = new();

    [Fact]
    public void Set_NewKey_GetReturnsValue()
    {
        CacheStore store = NewStore(_clock);

        Assert.Equal(StoreStatus.Ok, store.SetText("k", "v"));

        Assert.Equal("v", store.GetText("k"));
    }

    [Fact]
    public void Get_MissingKey_ReturnsNotFound()
    {
        CacheStore store = NewStore(_clock);

        Assert.Equal(StoreStatus.NotFound, store.Get(Bytes("nope"), out ReadOnlyMemory<byte> value));
        Assert.True(value.IsEmpty);
    }

    [Fact]
    public void Set_ExistingKey_OverwritesValueAndKeepsOneEntry()
    {
        CacheStore store = NewStore(_clock);
        store.SetText("k", "first");

        store.SetText("k", "second, longer");

        Assert.Equal("second, longer", store.GetText("k"));
        Assert.Equal(1, store.Count);
        Assert.Equal(1 + 14 + StoreOptions.EntryOverheadBytes, store.GetStats().UsedBytes);
    }

    [Fact]
    public void Get_ValueHandedOut_IsUnchangedByLaterOverwrite()
    {
        CacheStore store = NewStore(_clock);
        store.SetText("k", "old");
        store.Get(Bytes("k"), out ReadOnlyMemory<byte> before);

        store.SetText("k", "new");
        store.Append(Bytes("k"), Bytes("er"), out _);

        Assert.Equal(Bytes("old"), before.ToArray());
    }

    [Fact]
    public void Delete_ExistingKey_RemovesItAndHandsBackValue()
    {
        CacheStore store = NewStore(_clock);
        store.SetText("k", "v");

        Assert.Equal(StoreStatus.Ok, store.Delete(Bytes("k"), out ReadOnlyMemory<byte> value));

        Assert.Equal(Bytes("v"), value.ToArray());
        Assert.Null(store.GetText("k"));
        Assert.Equal(0, store.Count);
        Assert.Equal(0, store.GetStats().UsedBytes);
    }

    [Fact]
    public void Delete_MissingKey_ReturnsNotFound()
    {
        CacheStore store = NewStore(_clock);

        Assert.Equal(StoreStatus.NotFound, store.Delete(Bytes("k")));
    }

    [Fact]
    public void Set_KeyAndValueWithEveryByteValue_RoundTripsExactly()
    {
        CacheStore store = NewStore(_clock);
        byte[] key = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        byte[] value = [.. key, (byte)'\r', (byte)'\n', 0, (byte)'\r', (byte)'\n', .. key];

        Assert.Equal(StoreStatus.Ok, store.Set(key, value));

        Assert.Equal(StoreStatus.Ok, store.Get(key, out ReadOnlyMemory<byte> read));
        Assert.Equal(value, read.ToArray());
        Assert.Equal(StoreStatus.NotFound, store.Get(key.AsSpan(0, 255), out _));
    }

    [Fact]
    public void Set_KeysDifferingOnlyInTrailingZeroByte_AreDistinct()
    {
        CacheStore store = NewStore(_clock);

        store.Set(Bytes("a"), Bytes("1"));
        store.Set([(byte)'a', 0], Bytes("2"));

        Assert.Equal("1", store.GetText("a"));
        Assert.Equal(2, store.Count);
    }

    [Fact]
    public void Set_EmptyValue_IsStoredAndDistinctFromMissing()
    {
        CacheStore store = NewStore(_clock);

        Assert.Equal(StoreStatus.Ok, store.Set(Bytes("k"), []));

        Assert.Equal(StoreStatus.Ok, store.Get(Bytes("k"), out ReadOnlyMemory<byte> value));
        Assert.Equal(0, value.Length);
        Assert.True(store.Exists(Bytes("k")));
    }

    [Fact]
    public void Set_EmptyKey_IsAnOrdinaryKey()
    {
        CacheStore store = NewStore(_clock);

        Assert.Equal(StoreStatus.Ok, store.Set([], Bytes("v")));

        Assert.Equal(StoreStatus.Ok, store.Get([], out ReadOnlyMemory<byte> value));
        Assert.Equal(Bytes("v"), value.ToArray());
        Assert.Equal(StoreStatus.Ok, store.Delete([]));
        Assert.False(store.Exists([]));
    }

    [Fact]
    public void Exists_PresentAndMissingKeys_ReportsEachAndCountsNoHit()
    {
        CacheStore store = NewStore(_clock);
        store.SetText("here", "v");

        Assert.True(store.Exists(Bytes("here")));
        Assert.False(store.Exists(Bytes("gone")));
        Assert.Equal(0, store.GetStats().Hits);
    }

    [Fact]
    public void Get_HitsAndMisses_AreCounted()
    {
        CacheStore store = NewStore(_clock);
        store.SetText("k", "v");

        store.GetText("k");
        store.GetText("k");
        store.GetText("missing");

        StoreStats stats = store.GetStats();
        Assert.Equal(2, stats.Hits);
        Assert.Equal(1, stats.Misses);
    }

    [Fact]
    public void Count_ManyKeysAcrossShards_CountsEachOnce()
    {
        CacheStore store = NewStore(_clock);

        for (int i = 0; i < 1000; i++)
        {
            store.SetText($"key{i}", "v");
        }

        store.SetText("key7", "again");
        Assert.Equal(1000, store.Count);
        Assert.Equal(1000, store.GetStats().Items);
        store.CheckInvariants();
    }

    [Fact]
    public void Clear_FilledStore_LeavesItEmptyAndUsable()
    {
        CacheStore store = NewStore(_clock);
        for (int i = 0; i < 100; i++)
        {
            store.SetText($"key{i}", "v", Expiry.After(1000));
        }

        store.Clear();

        Assert.Equal(0, store.Count);
        Assert.Equal(0, store.GetStats().UsedBytes);
        Assert.Null(store.GetText("key1"));
        Assert.Empty(store.ScanAll(10));
        store.CheckInvariants();
        store.SetText("key1", "again");
        Assert.Equal("again", store.GetText("key1"));
        store.CheckInvariants();
    }
}
