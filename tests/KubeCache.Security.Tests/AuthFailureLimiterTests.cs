using System.Net;
using KubeCache.Security.Keys;

namespace KubeCache.Security.Tests;

public class AuthFailureLimiterTests
{
    private static readonly IPAddress Client = IPAddress.Parse("10.0.0.7");

    [Fact]
    public void RecordFailure_ReachingTheLimit_LimitsThatAddressOnly()
    {
        var limiter = new AuthFailureLimiter(3, TimeSpan.FromSeconds(60), new ManualTime());

        Assert.False(limiter.RecordFailure(Client));
        Assert.False(limiter.RecordFailure(Client));
        Assert.False(limiter.IsLimited(Client));
        Assert.True(limiter.RecordFailure(Client));

        Assert.True(limiter.IsLimited(Client));
        Assert.False(limiter.IsLimited(IPAddress.Parse("10.0.0.8")));
    }

    [Fact]
    public void IsLimited_AfterTheWindow_CountsAfresh()
    {
        var time = new ManualTime();
        var limiter = new AuthFailureLimiter(2, TimeSpan.FromSeconds(60), time);
        limiter.RecordFailure(Client);
        limiter.RecordFailure(Client);
        Assert.True(limiter.IsLimited(Client));

        time.Advance(TimeSpan.FromSeconds(60));

        Assert.False(limiter.IsLimited(Client));
        Assert.False(limiter.RecordFailure(Client));
    }

    [Fact]
    public void RecordFailure_LimitZero_NeverLimits()
    {
        var limiter = new AuthFailureLimiter(0, TimeSpan.FromSeconds(60), new ManualTime());
        for (int i = 0; i < 100; i++)
        {
            Assert.False(limiter.RecordFailure(Client));
        }

        Assert.False(limiter.IsLimited(Client));
    }
}
