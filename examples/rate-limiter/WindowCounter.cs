using StackExchange.Redis;

namespace KubeCache.Examples.RateLimiter;

/// <summary>A window's request counter: counted and given its expiry in one MULTI/EXEC, so it never exists without one.</summary>
public static class WindowCounter
{
    /// <summary>Adds one to <paramref name="key"/>'s counter, which expires after <paramref name="lifetime"/>; returns the count.</summary>
    public static async Task<long> IncrementAsync(IDatabase db, RedisKey key, TimeSpan lifetime)
    {
        ITransaction transaction = db.CreateTransaction();
        Task<long> count = transaction.StringIncrementAsync(key);
        Task<bool> expiry = transaction.KeyExpireAsync(key, lifetime);
        await transaction.ExecuteAsync();
        await expiry;
        return await count;
    }
}
