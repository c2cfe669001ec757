using KubeCache.Router.Upstream;

namespace KubeCache.Router.Tests.Upstream;

public sealed class UpstreamOptionsTests
{
    [Fact]
    public void Defaults_NewOptions_ArePinned()
    {
        var options = new UpstreamOptions();

        Assert.Equal(2, options.ConnectionsPerNode);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(1), options.RequestTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(100), options.MarkDownInterval);
        Assert.Equal(TimeSpan.FromSeconds(5), options.MaxMarkDownInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(100), options.TimeoutCheckPeriod);
    }

    [Theory]
    [InlineData(nameof(UpstreamOptions.ConnectionsPerNode))]
    [InlineData(nameof(UpstreamOptions.ConnectTimeout))]
    [InlineData(nameof(UpstreamOptions.RequestTimeout))]
    [InlineData(nameof(UpstreamOptions.MarkDownInterval))]
    [InlineData(nameof(UpstreamOptions.MaxMarkDownInterval))]
    public void Init_OutOfRange_ThrowsNamingTheSetting(string setting)
    {
        ArgumentException e = Assert.ThrowsAny<ArgumentException>(() => setting switch
        {
            nameof(UpstreamOptions.ConnectionsPerNode) => new UpstreamOptions { ConnectionsPerNode = 0 },
            nameof(UpstreamOptions.ConnectTimeout) => new UpstreamOptions { ConnectTimeout = TimeSpan.Zero },
            nameof(UpstreamOptions.RequestTimeout) => new UpstreamOptions { RequestTimeout = TimeSpan.FromHours(1) },
            nameof(UpstreamOptions.MarkDownInterval) => new UpstreamOptions { MarkDownInterval = TimeSpan.FromMilliseconds(-1) },
            _ => new UpstreamOptions { MaxMarkDownInterval = TimeSpan.Zero },
        });

        Assert.Equal(setting, e.ParamName);
        Assert.StartsWith($"UpstreamOptions.{setting} must be", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MaxBelowInitialInterval_ThrowsNamingMaxMarkDownInterval()
    {
        var options = new UpstreamOptions { MarkDownInterval = TimeSpan.FromSeconds(2), MaxMarkDownInterval = TimeSpan.FromSeconds(1) };

        ArgumentException e = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Equal(nameof(UpstreamOptions.MaxMarkDownInterval), e.ParamName);
        Assert.Contains("must be at least MarkDownInterval (2000 ms); got 1000 ms", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(10, 5)]
    [InlineData(200, 20)]
    [InlineData(60_000, 100)]
    public void TimeoutCheckPeriod_ForRequestTimeout_IsATenthWithinBounds(int timeoutMs, int expectedMs)
    {
        var options = new UpstreamOptions { RequestTimeout = TimeSpan.FromMilliseconds(timeoutMs) };

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), options.TimeoutCheckPeriod);
    }
}
