using System.Net;
using KubeCache.CacheNode.Tests.Resp.Support;
using KubeCache.Examples.RateLimiter;
using KubeCache.Testing;
using Microsoft.Extensions.Options;

namespace KubeCache.CacheNode.Tests.Resp;

/// <summary>examples/rate-limiter (<see cref="RateLimiterContract"/>) against a node, and its settings.</summary>
[Collection(SharedNodeCollection.Name)]
public sealed class RateLimiterExampleTests(NodeFixture fixture) : RateLimiterContract
{
    protected override IPEndPoint Resp => fixture.Resp;

    [Fact]
    public async Task Settings_OutOfRange_RefusedAtStartNamingThem()
    {
        await using var app = RateLimiterApp.Build(["--RateLimiter:FixedWindow:Limit=0", "--RateLimiter:SlidingWindow:WindowSeconds=-1", "--urls=http://127.0.0.1:0"]);
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Equal(
            ["RateLimiter:FixedWindow:Limit must be at least 1 (requests).", "RateLimiter:SlidingWindow:WindowSeconds must be at least 1 (seconds)."],
            error.Failures);
    }

    [Fact]
    public void Settings_Defaults_AsDocumented()
    {
        var options = new RateLimiterOptions();
        Assert.Equal(("localhost:6379", "X-Client-Id", 128), (options.Redis, options.ClientHeader, options.ClientIdMaxLength));
        Assert.Equal((10, 60, 10, 60), (options.FixedWindow.Limit, options.FixedWindow.WindowSeconds, options.SlidingWindow.Limit, options.SlidingWindow.WindowSeconds));
    }
}
