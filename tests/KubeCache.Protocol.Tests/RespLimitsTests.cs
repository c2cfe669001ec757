namespace KubeCache.Protocol.Tests;

public sealed class RespLimitsTests
{
    [Fact]
    public void Default_Values_MatchRedisDefaults()
    {
        var limits = new RespLimits();

        Assert.Equal(512 * 1024 * 1024, limits.MaxBulkBytes);
        Assert.Equal(1_048_576, limits.MaxArrayLength);
        Assert.Equal(64 * 1024, limits.MaxInlineBytes);
        Assert.Equal(limits.MaxBulkBytes, RespLimits.Default.MaxBulkBytes);
    }

    [Fact]
    public void Init_ValidValues_AreKept()
    {
        var limits = new RespLimits { MaxBulkBytes = 10, MaxArrayLength = 3, MaxInlineBytes = 1 };

        Assert.Equal(10, limits.MaxBulkBytes);
        Assert.Equal(3, limits.MaxArrayLength);
        Assert.Equal(1, limits.MaxInlineBytes);
    }

    [Fact]
    public void Init_ZeroOrNegative_ThrowsNamingTheProperty()
    {
        var bulk = Assert.Throws<ArgumentOutOfRangeException>(() => new RespLimits { MaxBulkBytes = 0 });
        var array = Assert.Throws<ArgumentOutOfRangeException>(() => new RespLimits { MaxArrayLength = -1 });
        var inline = Assert.Throws<ArgumentOutOfRangeException>(() => new RespLimits { MaxInlineBytes = 0 });

        Assert.Equal(nameof(RespLimits.MaxBulkBytes), bulk.ParamName);
        Assert.Equal(nameof(RespLimits.MaxArrayLength), array.ParamName);
        Assert.Equal(nameof(RespLimits.MaxInlineBytes), inline.ParamName);
    }

    [Fact]
    public void Init_BulkAboveArrayMaxLength_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RespLimits { MaxBulkBytes = int.MaxValue });
    }
}
