using KubeCache.CacheNode.Storage;
using static KubeCache.CacheNode.Tests.Storage.StoreTestKit;

namespace KubeCache.CacheNode.Tests.Storage;

/// <summary>Keys handed off by their previous owner never cost the receiver its own keys.</summary>
public sealed class CacheStoreHandoffTests
{
    private readonly ManualClock _clock = new();

    [Fact]
    public void SetFromHandoff_ShardFull_RefusesAndEvictsNoLocalKey()
    {
        CacheStore store = NewSingleShardStore(_clock, entries: 3);
        store.Set(Bytes("l1"), SmallValue('a'));
        store.Set(Bytes("l2"), SmallValue('b'));
        store.Set(Bytes("l3"), SmallValue('c'));

        Assert.Equal(StoreStatus.NoRoom, store.SetFromHandoff(Bytes("h1"), SmallValue('h'), ValueKind.String, 0, store.Flushes));

        Assert.Equal(3, store.Count);
        Assert.Equal(0, store.GetStats().CapacityEvictions);
        Assert.Equal(StoreStatus.NotFound, store.Peek(Bytes("h1"), out _, out _, out _));
    }

    [Fact]
    public void SetFromHandoff_Stored_IsTheFirstEvictedNotTheLocalKeys()
    {
        CacheStore store = NewSingleShardStore(_clock, entries: 3);
        store.Set(Bytes("l1"), SmallValue('a'));
        store.Set(Bytes("l2"), SmallValue('b'));
        Assert.Equal(StoreStatus.Ok, store.SetFromHandoff(Bytes("h1"), SmallValue('h'), ValueKind.String, 0, store.Flushes));

        // The shard is full: the next local write evicts the handed-off key, the coldest.
        store.Set(Bytes("l3"), SmallValue('c'));

        Assert.Equal(StoreStatus.NotFound, store.Peek(Bytes("h1"), out _, out _, out _));
        Assert.Equal(StoreStatus.Ok, store.Peek(Bytes("l1"), out _, out _, out _));
        Assert.Equal(StoreStatus.Ok, store.Peek(Bytes("l2"), out _, out _, out _));
    }

    [Fact]
    public void SetFromHandoff_PresentKeyOrFlushSinceTheRead_IsSkipped()
    {
        CacheStore store = NewStore(_clock);
        long flushes = store.Flushes;

        Assert.Equal(StoreStatus.Ok, store.SetFromHandoff(Bytes("k"), Bytes("v1"), ValueKind.String, 0, flushes));
        Assert.Equal(StoreStatus.NotSet, store.SetFromHandoff(Bytes("k"), Bytes("v2"), ValueKind.String, 0, flushes));
        Assert.Equal("v1", store.GetText("k"));
        store.Clear();
        Assert.Equal(StoreStatus.NotSet, store.SetFromHandoff(Bytes("k"), Bytes("v1"), ValueKind.String, 0, flushes));
        Assert.Null(store.GetText("k"));
    }
}
