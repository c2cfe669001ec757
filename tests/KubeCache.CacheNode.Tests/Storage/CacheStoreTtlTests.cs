using KubeCache.CacheNode.Storage;
using static KubeCache.CacheNode.Tests.Storage.StoreTestKit;

namespace KubeCache.CacheNode.Tests.Storage;

public sealed class CacheStoreTtlTests
{
    private readonly ManualClock _clock = new();

    [Fact]
    public void Get_BeforeAndAtExpiry_ReturnsValueThenNotFound()
    {
        CacheStore store = NewStore(_clock);
        store.SetText("k", "v", Expiry.After(1000));

        _clock.AdvanceMilliseconds(999);
        Assert.Equal("v", store.GetText("k"));
        _clock.AdvanceMilliseconds(1);

        Assert.Null(store.GetText("k"));
        Assert.False(store.Exists(Bytes("k")));
        Assert.Equal(0, store.Count);
        Assert.Equal(0, store.GetStats().UsedBytes);
    }

    [Fact]
    public void Get_ExpiredKey_CountsExpirationAndMiss()
    {
        CacheStore store = NewStore(_clock);
        store.SetText("k", "v", Expiry.After(10));
        _clock.AdvanceMilliseconds(10);

        store.GetText("k");

        StoreStats stats = store.GetStats();
        Assert.Equal(1, stats.Expirations);
        Assert.Equal(1, stats.Misses);
        Assert.Equal(0, stats.Hits);
    }

    [Fact]
    public void TimeToLive_KeyWithoutTtl_ReturnsMinusOne()
    {
        CacheStore store = NewStore(_clock);
        store.SetText("k", "v");

        Assert.Equal(-1, store.Ttl("k"));
    }

    [Fact]
    public void TimeToLive_KeyWithTtl_ReturnsRemainingMilliseconds()
    {
        CacheStore store = NewStore(_clock);
        store.SetText("k", "v", Expiry.After(TimeSpan.FromSeconds(10)));

        _clock.AdvanceMilliseconds(2_500);

        Assert.Equal(7_500, store.Ttl("k"));
    }

    [Fact]
    public void TimeToLive_MissingOrExpiredKey_ReturnsNotFound()
    {
        CacheStore store = NewStore(_clock);
        store.SetText("k", "v", Expiry.After(10));
        _clock.AdvanceMilliseconds(10);

        Assert.Equal(StoreStatus.NotFound, store.TimeToLive(Bytes("k"), out _));
        Assert.Equal(StoreStatus.NotFound, store.TimeToLive(Bytes("never"), out _));
    }

    [Fact]
    public void Set_AtAbsoluteTime_ExpiresThen()
    {
        CacheStore store = NewStore(_clock);
        long at = _clock.UnixMilliseconds + 60_000;

        store.SetText("k", "v", Expiry.At(at));

        Assert.Equal(60_000, store.Ttl("k"));
        _clock.AdvanceMilliseconds(60_000);
        Assert.Null(store.GetText("k"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(long.MinValue)]
    public void Set_AtTimeInThePast_RemovesExistingKey(long unixMilliseconds)
    {
        CacheStore store = NewStore(_clock);
        store.SetText("k", "old");

        Assert.Equal(StoreStatus.Ok, store.SetText("k", "new", Expiry.At(unixMilliseconds)));

        Assert.False(store.Exists(Bytes("k")));
        Assert.Equal(0, store.GetStats().UsedBytes);
    }

    [Fact]
    public void Set_TtlBeyondRepresentableRange_IsClampedNotWrapped()
    {
        CacheStore store = NewStore(_clock);

        store.SetText("a", "v", Expiry.After(long.MaxValue));
        store.SetText("b", "v", Expiry.At(long.MaxValue));

        _clock.Advance(TimeSpan.FromDays(365 * 1000));
        Assert.Equal("v", store.GetText("a"));
        Assert.Equal("v", store.GetText("b"));
        Assert.True(store.Ttl("a") > 0);
    }

    [Fact]
    public void Persist_KeyWithTtl_RemovesTtl()
    {
        CacheStore store = NewStore(_clock);
        store.SetText("k", "v", Expiry.After(10));

        Assert.Equal(StoreStatus.Ok, store.Persist(Bytes("k")));

        Assert.Equal(-1, store.Ttl("k"));
        _clock.AdvanceMilliseconds(10);
        Assert.Equal("v", store.GetText("k"));
    }

    [Fact]
    public void Persist_KeyWithoutTtl_ReturnsNotSet()
    {
        CacheStore store = NewStore(_clock);
        store.SetText("k", "v");

        Assert.Equal(StoreStatus.NotSet, store.Persist(Bytes("k")));
    }

    [Fact]
    public void Persist_MissingOrExpiredKey_ReturnsNotFound()
    {
        CacheStore store = NewStore(_clock);
        store.SetText("k", "v", Expiry.After(10));
        _clock.AdvanceMilliseconds(10);

        Assert.Equal(StoreStatus.NotFound, store.Persist(Bytes("k")));
        Assert.Equal(StoreStatus.NotFound, store.Persist(Bytes("never")));
    }

    [Fact]
    public void SetExpiry_FutureTime_SetsTtl()
    {
        CacheStore store = NewStore(_clock);
        store.SetText("k", "v");

        Assert.Equal(StoreStatus.Ok, store.SetExpiry(Bytes("k"), Expiry.After(500)));

        Assert.Equal(500, store.Ttl("k"));
        _clock.AdvanceMilliseconds(500);
        Assert.Null(store.GetText("k"));
    }

    [Fact]
    public void SetExpiry_OnEntriesStoredWithoutTtl_MovesTheirRecordsAndKeepsValuesKindsAndAccounting()
    {
        var store = new CacheStore(new StoreOptions { CapacityBytes = 64L << 20, ShardCount = 1 }, _clock);
        const int keys = 3000;
        byte[] value = new byte[100];
        for (int i = 0; i < keys; i++)
        {
            store.Set(Bytes($"s{i}"), value);
            store.SetHash(Bytes($"h{i}"), Bytes($"fields{i}"));
        }

        Assert.Equal(StoreStatus.Ok, store.Get(Bytes("s0"), out ReadOnlyMemory<byte> handedOut));
        for (int round = 0; round < 3; round++)
        {
            // Even keys first: their pages are left half garbage, which compaction must handle.
            for (int first = 0; first < 2; first++)
            {
                for (int i = first; i < keys; i += 2)
                {
                    Assert.Equal(StoreStatus.Ok, store.SetExpiry(Bytes($"s{i}"), Expiry.After(1_000 + i)));
                    Assert.Equal(StoreStatus.Ok, store.SetExpiry(Bytes($"h{i}"), Expiry.After(1_000 + i)));
                }
            }

            store.CheckInvariants();
            Assert.Equal(StoreStatus.Ok, store.Persist(Bytes("s1")));
            Assert.Equal(StoreStatus.Ok, store.Persist(Bytes("h1")));
        }

        Assert.True(store.GetStats().Compactions > 0, "moving records never compacted a page");
        Assert.Equal(StoreStatus.WrongType, store.Get(Bytes("h7"), out _));
        Assert.Equal(StoreStatus.Ok, store.Peek(Bytes("h7"), out ReadOnlyMemory<byte> fields, out ValueKind kind, out long expiresAt));
        Assert.Equal(("fields7", ValueKind.Hash, _clock.GetUtcNow().ToUnixTimeMilliseconds() + 1_007), (System.Text.Encoding.ASCII.GetString(fields.Span), kind, expiresAt));
        Assert.Equal((1_007L, -1L), (store.Ttl("s7"), store.Ttl("s1")));
        Assert.True(handedOut.Span.SequenceEqual(value));
        _clock.AdvanceMilliseconds(1_000 + keys);
        Assert.Null(store.GetText("s7"));
        Assert.Equal(2, store.ScanAll(count: 100).Count);
        store.CheckInvariants();
    }

    [Fact]
    public void SetExpiry_PastTime_DeletesKey()
    {
        CacheStore store = NewStore(_clock);
        store.SetText("k", "v");

        Assert.Equal(StoreStatus.Ok, store.SetExpiry(Bytes("k"), Expiry.At(_clock.UnixMilliseconds - 1)));

        Assert.False(store.Exists(Bytes("k")));
        Assert.Equal(0, store.Count);
        store.CheckInvariants();
    }

    [Fact]
    public void SetExpiry_MissingKey_ReturnsNotFound()
    {
        CacheStore store = NewStore(_clock);

        Assert.Equal(StoreStatus.NotFound, store.SetExpiry(Bytes("k"), Expiry.After(500)));
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public void GetAndSetExpiry_LiveKey_ReturnsValueAndSetsTtl()
    {
        CacheStore store = NewStore(_clock);
        store.SetText("k", "v");

        Assert.Equal(StoreStatus.Ok, store.GetAndSetExpiry(Bytes("k"), Expiry.After(2000), out ReadOnlyMemory<byte> value));

        Assert.Equal(Bytes("v"), value.ToArray());
        Assert.Equal(2000, store.Ttl("k"));
    }

    [Fact]
    public void GetAndSetExpiry_Never_PersistsKey()
    {
        CacheStore store = NewStore(_clock);
        store.SetText("k", "v", Expiry.After(100));

        store.GetAndSetExpiry(Bytes("k"), Expiry.Never, out _);

        Assert.Equal(-1, store.Ttl("k"));
    }

    [Fact]
    public void GetAndSetExpiry_PastTime_ReturnsValueAndDeletesKey()
    {
        CacheStore store = NewStore(_clock);
        store.SetText("k", "v");

        Assert.Equal(StoreStatus.Ok, store.GetAndSetExpiry(Bytes("k"), Expiry.At(1), out ReadOnlyMemory<byte> value));

        Assert.Equal(Bytes("v"), value.ToArray());
        Assert.False(store.Exists(Bytes("k")));
        store.CheckInvariants();
    }

    [Fact]
    public void GetAndSetExpiry_MissingKey_ReturnsNotFound()
    {
        CacheStore store = NewStore(_clock);

        Assert.Equal(StoreStatus.NotFound, store.GetAndSetExpiry(Bytes("k"), Expiry.After(10), out _));
        Assert.Equal(1, store.GetStats().Misses);
    }

    [Fact]
    public void Delete_ExpiredKey_ReturnsNotFound()
    {
        CacheStore store = NewStore(_clock);
        store.SetText("k", "v", Expiry.After(10));
        _clock.AdvanceMilliseconds(10);

        Assert.Equal(StoreStatus.NotFound, store.Delete(Bytes("k")));
        Assert.Equal(1, store.GetStats().Expirations);
    }
}
