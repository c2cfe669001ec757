using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace KubeCache.Examples.RateLimiter;

/// <summary>
/// The two-window weighted counter: a request is allowed when
/// <c>previous × (share of the current window still to come) + current ≤ limit</c>, which
/// approximates the count of the last full window length without storing each request. Strings
/// only: one counter per client and window. The current counter's <c>INCR</c> and <c>EXPIRE</c>
/// run in one transaction; the previous window's counter is read on its own (its window is over,
/// nobody writes it), so the two keys may live on different nodes behind a router. A refused
/// request gives its count back, so a client that keeps retrying is not kept out longer.
/// </summary>
public sealed class SlidingWindowLimiter(IConnectionMultiplexer redis, IOptions<RateLimiterOptions> options, TimeProvider clock) : IWindowLimiter
{
    public WindowLimit Limit { get; } = options.Value.SlidingWindow;

    public async Task<RateDecision> AcquireAsync(string client)
    {
        WindowPosition at = WindowPosition.At(clock.GetUtcNow(), Limit.Window);
        IDatabase db = redis.GetDatabase();
        RedisKey current = Key(client, at.Index);
        Task<RedisValue> previousCount = db.StringGetAsync(Key(client, at.Index - 1));
        // The counter is read as "previous" during the whole next window.
        long count = await WindowCounter.IncrementAsync(db, current, 2 * Limit.Window);
        long previous = (long?)await previousCount ?? 0;
        if (previous * at.RemainingShare + count <= Limit.Limit)
        {
            return RateDecision.Allow;
        }

        await db.StringDecrementAsync(current);
        return RateDecision.Deny(RetryAfter(previous, count - 1, Limit.Limit, at));
    }

    /// <summary>
    /// How long until one more request fits, if the client sends nothing meanwhile: later in this
    /// window once the previous window's weight has dropped enough, or else in the next window,
    /// where this window's <paramref name="current"/> count becomes the weighted one.
    /// </summary>
    public static TimeSpan RetryAfter(long previous, long current, int limit, WindowPosition at)
    {
        long room = limit - 1 - current;
        return room >= 0
            ? at.Remaining - (at.Length * ((double)room / previous))
            : at.Remaining + (at.Length * (1 - ((double)(limit - 1) / current)));
    }

    private static RedisKey Key(string client, long window) => $"rate:sliding:{client}:{window}";
}
