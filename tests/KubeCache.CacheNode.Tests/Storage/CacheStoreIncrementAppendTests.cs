using KubeCache.CacheNode.Storage;
using static KubeCache.CacheNode.Tests.Storage.StoreTestKit;

namespace KubeCache.CacheNode.Tests.Storage;

public sealed class CacheStoreIncrementAppendTests
{
    private readonly ManualClock _clock = new();

    [Theory]
    [InlineData(1)]
    [InlineData(-5)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    public void IncrementBy_MissingKey_StoresDelta(long delta)
    {
        CacheStore store = NewStore(_clock);

        Assert.Equal(StoreStatus.Ok, store.IncrementBy(Bytes("n"), delta, out long result));

        Assert.Equal(delta, result);
        Assert.Equal(delta.ToString(System.Globalization.CultureInfo.InvariantCulture), store.GetText("n"));
    }

    [Fact]
    public void IncrementBy_ExistingInteger_AddsAndStoresDecimalText()
    {
        CacheStore store = NewStore(_clock);
        store.SetText("n", "10");

        store.IncrementBy(Bytes("n"), -13, out long result);

        Assert.Equal(-3, result);
        Assert.Equal("-3", store.GetText("n"));
        Assert.Equal(1 + 2 + StoreOptions.EntryOverheadBytes, store.GetStats().UsedBytes);
        store.CheckInvariants();
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("+1")]
    [InlineData("01")]
    [InlineData("-0")]
    [InlineData("1.5")]
    [InlineData("9223372036854775808")]
    public void IncrementBy_NonIntegerValue_ReturnsNotIntegerAndKeepsValue(string value)
    {
        CacheStore store = NewStore(_clock);
        store.SetText("n", value);

        Assert.Equal(StoreStatus.NotInteger, store.IncrementBy(Bytes("n"), 1, out _));

        Assert.Equal(value, store.GetText("n"));
    }

    [Theory]
    [InlineData("9223372036854775807", 1)]
    [InlineData("9223372036854775000", 1000)]
    [InlineData("-9223372036854775808", -1)]
    [InlineData("-1", long.MinValue)]
    public void IncrementBy_ResultOutOfRange_ReturnsOverflowAndKeepsValue(string value, long delta)
    {
        CacheStore store = NewStore(_clock);
        store.SetText("n", value);

        Assert.Equal(StoreStatus.Overflow, store.IncrementBy(Bytes("n"), delta, out _));

        Assert.Equal(value, store.GetText("n"));
    }

    [Fact]
    public void IncrementBy_ToExtremes_ReachesThemExactly()
    {
        CacheStore store = NewStore(_clock);
        store.SetText("n", "9223372036854775806");
        store.SetText("m", "-9223372036854775807");

        Assert.Equal(StoreStatus.Ok, store.IncrementBy(Bytes("n"), 1, out long max));
        Assert.Equal(StoreStatus.Ok, store.IncrementBy(Bytes("m"), -1, out long min));

        Assert.Equal(long.MaxValue, max);
        Assert.Equal(long.MinValue, min);
    }

    [Fact]
    public void IncrementBy_KeyWithTtl_KeepsTtl()
    {
        CacheStore store = NewStore(_clock);
        store.SetText("n", "1", Expiry.After(10_000));
        _clock.AdvanceMilliseconds(1_000);

        store.IncrementBy(Bytes("n"), 1, out _);

        Assert.Equal(9_000, store.Ttl("n"));
        _clock.AdvanceMilliseconds(9_000);
        Assert.Null(store.GetText("n"));
    }

    [Fact]
    public void IncrementBy_ExpiredKey_StartsFromZeroWithoutTtl()
    {
        CacheStore store = NewStore(_clock);
        store.SetText("n", "41", Expiry.After(10));
        _clock.AdvanceMilliseconds(10);

        store.IncrementBy(Bytes("n"), 1, out long result);

        Assert.Equal(1, result);
        Assert.Equal(-1, store.Ttl("n"));
    }

    [Fact]
    public void Append_MissingKey_CreatesItAndReturnsLength()
    {
        CacheStore store = NewStore(_clock);

        Assert.Equal(StoreStatus.Ok, store.Append(Bytes("s"), Bytes("hello"), out long length));

        Assert.Equal(5, length);
        Assert.Equal("hello", store.GetText("s"));
    }

    [Fact]
    public void Append_ExistingKey_ExtendsAndReturnsNewLength()
    {
        CacheStore store = NewStore(_clock);
        store.SetText("s", "hello");

        Assert.Equal(StoreStatus.Ok, store.Append(Bytes("s"), Bytes(" world\r\n"), out long length));

        Assert.Equal(13, length);
        Assert.Equal("hello world\r\n", store.GetText("s"));
        Assert.Equal(1 + 13 + StoreOptions.EntryOverheadBytes, store.GetStats().UsedBytes);
        store.CheckInvariants();
    }

    [Fact]
    public void Append_EmptySuffixToMissingKey_CreatesEmptyValue()
    {
        CacheStore store = NewStore(_clock);

        Assert.Equal(StoreStatus.Ok, store.Append(Bytes("s"), [], out long length));

        Assert.Equal(0, length);
        Assert.Equal("", store.GetText("s"));
    }

    [Fact]
    public void Append_KeyWithTtl_KeepsTtl()
    {
        CacheStore store = NewStore(_clock);
        store.SetText("s", "a", Expiry.After(5_000));

        store.Append(Bytes("s"), Bytes("b"), out _);

        Assert.Equal(5_000, store.Ttl("s"));
    }

    [Fact]
    public void AppendThenIncrementBy_DigitsBuiltByAppend_AreAnInteger()
    {
        CacheStore store = NewStore(_clock);
        store.Append(Bytes("n"), Bytes("4"), out _);
        store.Append(Bytes("n"), Bytes("1"), out _);

        Assert.Equal(StoreStatus.Ok, store.IncrementBy(Bytes("n"), 1, out long result));

        Assert.Equal(42, result);
    }
}
