using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace KubeCache.Examples.RateLimiter;

/// <summary>
/// At most <see cref="WindowLimit.Limit"/> requests per client in each window: one counter per
/// client and window, <c>INCR</c> and <c>EXPIRE</c> in one MULTI/EXEC transaction, so a counter
/// never exists without its expiry. A burst of twice the limit can pass across a window boundary;
/// <see cref="SlidingWindowLimiter"/> smooths that.
/// </summary>
public sealed class FixedWindowLimiter(IConnectionMultiplexer redis, IOptions<RateLimiterOptions> options, TimeProvider clock) : IWindowLimiter
{
    public WindowLimit Limit { get; } = options.Value.FixedWindow;

    public async Task<RateDecision> AcquireAsync(string client)
    {
        WindowPosition at = WindowPosition.At(clock.GetUtcNow(), Limit.Window);
        RedisKey key = $"rate:fixed:{client}:{at.Index}";
        long count = await WindowCounter.IncrementAsync(redis.GetDatabase(), key, Limit.Window);
        return count <= Limit.Limit ? RateDecision.Allow : RateDecision.Deny(at.Remaining);
    }
}
