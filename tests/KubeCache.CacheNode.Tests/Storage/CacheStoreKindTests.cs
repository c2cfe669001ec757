using KubeCache.CacheNode.Storage;
using static KubeCache.CacheNode.Tests.Storage.StoreTestKit;

namespace KubeCache.CacheNode.Tests.Storage;

/// <summary>
/// Hashes in the store: an entry of <see cref="ValueKind.Hash"/> whose value the store treats as
/// opaque bytes, kept apart from strings (WRONGTYPE both ways), charged, evicted, expired,
/// compacted and handed over like any entry.
/// </summary>
public sealed class CacheStoreKindTests
{
    private readonly ManualClock _clock = new();

    [Fact]
    public void StringCommands_KeyHoldingHash_WrongTypeAndHashKept()
    {
        CacheStore store = NewStore(_clock);
        Assert.Equal(StoreStatus.Ok, SetHash(store, "h", Bytes("encoded")));
        byte[] key = Bytes("h");

        Assert.Equal(StoreStatus.WrongType, store.Get(key, out _));
        Assert.Equal(StoreStatus.WrongType, store.Append(key, Bytes("x"), out _));
        Assert.Equal(StoreStatus.WrongType, store.IncrementBy(key, 1, out _));
        Assert.Equal(StoreStatus.WrongType, store.GetAndSetExpiry(key, Expiry.After(1000), out _));
        Assert.Equal(StoreStatus.WrongType, store.Delete(key, out _));
        Assert.Equal(StoreStatus.WrongType, store.Set(key, Bytes("v"), Expiry.Default, SetCondition.Always, out _));
        byte[] unused = Bytes("x");
        Assert.Equal(StoreStatus.WrongType, store.Edit(key, ValueKind.String, ref unused, StoreTestKit.Replace));

        Assert.Equal("encoded", HashText(store, "h"));
        Assert.Equal(-1, store.Ttl("h"));
    }

    [Fact]
    public void HashEdit_KeyHoldingString_WrongTypeAndStringKept()
    {
        CacheStore store = NewStore(_clock);
        store.SetText("s", "text");

        Assert.Equal(StoreStatus.WrongType, SetHash(store, "s", Bytes("encoded")));
        Assert.Equal(StoreStatus.WrongType, store.Get(Bytes("s"), ValueKind.Hash, out _));

        Assert.Equal("text", store.GetText("s"));
    }

    [Fact]
    public void Set_KeyHoldingHash_ReplacesItWithAString()
    {
        CacheStore store = NewStore(_clock);
        SetHash(store, "h", Bytes("encoded"));

        Assert.Equal(StoreStatus.Ok, store.SetText("h", "text"));

        Assert.Equal("text", store.GetText("h"));
        Assert.Equal(StoreStatus.WrongType, store.Get(Bytes("h"), ValueKind.Hash, out _));
        Assert.Equal(StoreStatus.Ok, store.Delete(Bytes("h")));
    }

    [Fact]
    public void HashEdit_EmptyReplacement_RemovesTheKeyAndItsBytes()
    {
        CacheStore store = NewStore(_clock);
        SetHash(store, "h", Bytes("encoded"));

        Assert.Equal(StoreStatus.Ok, SetHash(store, "h", []));

        Assert.Equal(0, store.Count);
        Assert.Equal(0, store.GetStats().UsedBytes);
        Assert.Equal(StoreStatus.NotFound, store.Get(Bytes("h"), ValueKind.Hash, out _));
        store.CheckInvariants();
    }

    [Fact]
    public void HashEdit_EncodingOverMaxValueBytes_ValueTooLargeAndHashKept()
    {
        var store = new CacheStore(new StoreOptions { CapacityBytes = 1 << 20, ShardCount = 1, MaxValueBytes = 100 }, _clock);
        SetHash(store, "h", Bytes("small"));

        Assert.Equal(StoreStatus.ValueTooLarge, SetHash(store, "h", new byte[101]));

        Assert.Equal("small", HashText(store, "h"));
    }

    [Fact]
    public void HashEdit_ShardFull_ChargesTheEncodingAndEvictsLeastRecentlyUsed()
    {
        CacheStore store = NewSingleShardStore(_clock, entries: 3);
        foreach (string key in new[] { "h1", "h2", "h3", "h4" })
        {
            Assert.Equal(StoreStatus.Ok, SetHash(store, key, SmallValue('x')));
        }

        StoreStats stats = store.GetStats();
        Assert.Equal(3L * EntrySize, stats.UsedBytes);
        Assert.Equal(1, stats.CapacityEvictions);
        Assert.Equal(StoreStatus.NotFound, store.Get(Bytes("h1"), ValueKind.Hash, out _));
        Assert.Equal(StoreStatus.Ok, store.Get(Bytes("h4"), ValueKind.Hash, out _));
        store.CheckInvariants();
    }

    [Fact]
    public void Expiry_Hash_ExpiresWithItsKey()
    {
        CacheStore store = NewStore(_clock);
        SetHash(store, "h", Bytes("encoded"));
        Assert.Equal(StoreStatus.Ok, store.SetExpiry(Bytes("h"), Expiry.After(1000)));

        Assert.Equal(StoreStatus.Ok, SetHash(store, "h", Bytes("changed")));
        Assert.Equal(1000, store.Ttl("h"));
        _clock.Advance(TimeSpan.FromMilliseconds(1000));

        Assert.Equal(StoreStatus.NotFound, store.Get(Bytes("h"), ValueKind.Hash, out _));
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public void TransferAndHandoff_Hash_KeepItsKindAndExpiry()
    {
        CacheStore store = NewStore(_clock);
        SetHash(store, "h", Bytes("encoded"));
        store.SetExpiry(Bytes("h"), Expiry.After(5000));

        Assert.Equal(StoreStatus.Ok, store.Transfer(Bytes("h"), Bytes("copy"), replace: false, keepSource: true));
        Assert.Equal(StoreStatus.Ok, store.Take(Bytes("h"), out ReadOnlyMemory<byte> value, out ValueKind kind, out long expiresAt));
        CacheStore receiver = NewStore(_clock);
        Assert.Equal(StoreStatus.Ok, receiver.SetFromHandoff(Bytes("h"), value.Span, kind, expiresAt, receiver.Flushes));

        Assert.Equal("encoded", HashText(store, "copy"));
        Assert.Equal(5000, store.Ttl("copy"));
        Assert.Equal("encoded", HashText(receiver, "h"));
        Assert.Equal(5000, receiver.Ttl("h"));
        Assert.Equal(StoreStatus.NotSet, receiver.DeleteIfEquals(Bytes("h"), value.Span, ValueKind.String));
        Assert.Equal(StoreStatus.Ok, receiver.DeleteIfEquals(Bytes("h"), value.Span, ValueKind.Hash));
    }

    [Fact]
    public void Compaction_HashesAmongStrings_KeepTheirKind()
    {
        var store = new CacheStore(new StoreOptions { CapacityBytes = 64L << 20, ShardCount = 1 }, _clock);
        for (int i = 0; i < 4000; i++)
        {
            byte[] value = new byte[100];
            Assert.Equal(StoreStatus.Ok, i % 2 == 0 ? SetHash(store, "k" + i, value) : store.Set(Bytes("k" + i), value));
        }

        // Deleting three keys of four leaves pages mostly garbage, which compaction copies away.
        for (int i = 0; i < 4000; i++)
        {
            if (i % 4 != 0 && i % 4 != 1)
            {
                store.Delete(Bytes("k" + i));
            }
        }

        Assert.True(store.GetStats().Compactions > 0);
        for (int i = 0; i < 4000; i += 4)
        {
            Assert.Equal(StoreStatus.Ok, store.Peek(Bytes("k" + i), out _, out ValueKind even, out _));
            Assert.Equal(ValueKind.Hash, even);
            Assert.Equal(StoreStatus.Ok, store.Peek(Bytes("k" + (i + 1)), out _, out ValueKind odd, out _));
            Assert.Equal(ValueKind.String, odd);
        }

        store.CheckInvariants();
    }

    private static StoreStatus SetHash(CacheStore store, string key, byte[] encoded) => store.SetHash(Bytes(key), encoded);

    private static string? HashText(CacheStore store, string key) =>
        store.Get(Bytes(key), ValueKind.Hash, out ReadOnlyMemory<byte> value) == StoreStatus.Ok ? System.Text.Encoding.UTF8.GetString(value.Span) : null;
}
