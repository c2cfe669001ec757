using System.Text;
using KubeCache.CacheNode.Storage;
using static KubeCache.CacheNode.Tests.Storage.StoreTestKit;

namespace KubeCache.CacheNode.Tests.Storage;

public sealed class CacheStoreConditionTests
{
    private readonly ManualClock _clock = new();

    [Fact]
    public void Set_IfAbsentOnMissingKey_Stores()
    {
        CacheStore store = NewStore(_clock);

        Assert.Equal(StoreStatus.Ok, store.Set(Bytes("k"), Bytes("v"), Expiry.Default, SetCondition.IfAbsent));

        Assert.Equal("v", store.GetText("k"));
    }

    [Fact]
    public void Set_IfAbsentOnExistingKey_ReturnsNotSetAndKeepsValue()
    {
        CacheStore store = NewStore(_clock);
        store.SetText("k", "old", Expiry.After(5000));

        Assert.Equal(StoreStatus.NotSet, store.Set(Bytes("k"), Bytes("new"), Expiry.Never, SetCondition.IfAbsent));

        Assert.Equal("old", store.GetText("k"));
        Assert.Equal(5000, store.Ttl("k"));
    }

    [Fact]
    public void Set_IfAbsentOnExpiredKey_Stores()
    {
        CacheStore store = NewStore(_clock);
        store.SetText("k", "old", Expiry.After(10));
        _clock.AdvanceMilliseconds(10);

        Assert.Equal(StoreStatus.Ok, store.Set(Bytes("k"), Bytes("new"), Expiry.Default, SetCondition.IfAbsent));

        Assert.Equal("new", store.GetText("k"));
        Assert.Equal(-1, store.Ttl("k"));
    }

    [Fact]
    public void Set_IfPresentOnMissingKey_ReturnsNotSetAndStoresNothing()
    {
        CacheStore store = NewStore(_clock);

        Assert.Equal(StoreStatus.NotSet, store.Set(Bytes("k"), Bytes("v"), Expiry.Default, SetCondition.IfPresent));

        Assert.False(store.Exists(Bytes("k")));
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public void Set_IfPresentOnExistingKey_Overwrites()
    {
        CacheStore store = NewStore(_clock);
        store.SetText("k", "old");

        Assert.Equal(StoreStatus.Ok, store.Set(Bytes("k"), Bytes("new"), Expiry.Default, SetCondition.IfPresent));

        Assert.Equal("new", store.GetText("k"));
    }

    [Fact]
    public void Set_WithPreviousOnExistingKey_HandsBackReplacedValue()
    {
        CacheStore store = NewStore(_clock);
        store.SetText("k", "old");

        store.Set(Bytes("k"), Bytes("new"), Expiry.Default, SetCondition.Always, out ReadOnlyMemory<byte>? previous);

        Assert.NotNull(previous);
        Assert.Equal("old", Encoding.UTF8.GetString(previous.Value.Span));
        Assert.Equal("new", store.GetText("k"));
    }

    /// <summary>
    /// SET … GET on a missing key must answer nil, not an empty string: the shard's conditional
    /// expression turned null into an empty ReadOnlyMemory through the implicit byte[] conversion.
    /// </summary>
    [Fact]
    public void Set_WithPreviousOnMissingKey_RegressionHandsBackNullNotEmptyValue()
    {
        CacheStore store = NewStore(_clock);
        store.SetText("expired", "v", Expiry.After(10));
        _clock.AdvanceMilliseconds(10);

        store.Set(Bytes("k"), Bytes("new"), Expiry.Default, SetCondition.Always, out ReadOnlyMemory<byte>? missing);
        store.Set(Bytes("expired"), Bytes("new"), Expiry.Default, SetCondition.Always, out ReadOnlyMemory<byte>? expired);
        store.Set(Bytes("absent"), Bytes("new"), Expiry.Default, SetCondition.IfPresent, out ReadOnlyMemory<byte>? notSet);

        Assert.Null(missing);
        Assert.Null(expired);
        Assert.Null(notSet);
    }

    [Fact]
    public void Set_WithPreviousOnEmptyValue_HandsBackEmptyNotNull()
    {
        CacheStore store = NewStore(_clock);
        store.Set(Bytes("k"), []);

        store.Set(Bytes("k"), Bytes("new"), Expiry.Default, SetCondition.Always, out ReadOnlyMemory<byte>? previous);

        Assert.NotNull(previous);
        Assert.Equal(0, previous.Value.Length);
    }

    [Fact]
    public void Set_WithPreviousWhenIfAbsentFails_HandsBackCurrentValue()
    {
        CacheStore store = NewStore(_clock);
        store.SetText("k", "current");

        StoreStatus status = store.Set(Bytes("k"), Bytes("new"), Expiry.Default, SetCondition.IfAbsent, out ReadOnlyMemory<byte>? previous);

        Assert.Equal(StoreStatus.NotSet, status);
        Assert.Equal("current", Encoding.UTF8.GetString(previous!.Value.Span));
    }

    [Fact]
    public void Set_KeepOnKeyWithTtl_KeepsRemainingTtl()
    {
        CacheStore store = NewStore(_clock);
        store.SetText("k", "old", Expiry.After(10_000));
        _clock.AdvanceMilliseconds(4_000);

        store.SetText("k", "new", Expiry.Keep);

        Assert.Equal("new", store.GetText("k"));
        Assert.Equal(6_000, store.Ttl("k"));
    }

    [Fact]
    public void Set_KeepOnMissingKey_StoresWithoutTtl()
    {
        CacheStore store = NewStore(_clock, defaultTtl: TimeSpan.FromSeconds(30));

        store.SetText("k", "v", Expiry.Keep);

        Assert.Equal(-1, store.Ttl("k"));
    }

    [Fact]
    public void Set_DefaultOnKeyWithTtl_ClearsTtl()
    {
        CacheStore store = NewStore(_clock);
        store.SetText("k", "old", Expiry.After(10_000));

        store.SetText("k", "new");

        Assert.Equal(-1, store.Ttl("k"));
    }

    [Fact]
    public void Set_DefaultWithDefaultTtlConfigured_AppliesDefaultTtl()
    {
        CacheStore store = NewStore(_clock, defaultTtl: TimeSpan.FromSeconds(30));

        store.SetText("k", "v");

        Assert.Equal(30_000, store.Ttl("k"));
        _clock.AdvanceMilliseconds(30_000);
        Assert.Null(store.GetText("k"));
    }

    [Fact]
    public void Set_NeverWithDefaultTtlConfigured_NeverExpires()
    {
        CacheStore store = NewStore(_clock, defaultTtl: TimeSpan.FromSeconds(30));

        store.SetText("k", "v", Expiry.Never);

        Assert.Equal(-1, store.Ttl("k"));
        _clock.Advance(TimeSpan.FromDays(365));
        Assert.Equal("v", store.GetText("k"));
    }

    [Fact]
    public void Set_ExplicitTtlWithDefaultTtlConfigured_UsesExplicitTtl()
    {
        CacheStore store = NewStore(_clock, defaultTtl: TimeSpan.FromSeconds(30));

        store.SetText("k", "v", Expiry.After(TimeSpan.FromSeconds(5)));

        Assert.Equal(5_000, store.Ttl("k"));
    }

    [Fact]
    public void IncrementByAndAppend_NewKeyWithDefaultTtlConfigured_ApplyDefaultTtl()
    {
        CacheStore store = NewStore(_clock, defaultTtl: TimeSpan.FromSeconds(30));

        store.IncrementBy(Bytes("n"), 1, out _);
        store.Append(Bytes("s"), Bytes("x"), out _);

        Assert.Equal(30_000, store.Ttl("n"));
        Assert.Equal(30_000, store.Ttl("s"));
    }
}
