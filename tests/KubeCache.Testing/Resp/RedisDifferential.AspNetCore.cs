namespace KubeCache.Testing;

/// <summary>
/// What ASP.NET Core's Redis distributed cache (Microsoft.Extensions.Caching.StackExchangeRedis
/// 10.0, with HybridCache and session over it) sends, in its order, as captured with MONITOR
/// against redis-server: set, get with refresh, refresh within an absolute expiration, HybridCache's
/// two-step read and tag-invalidation look-up, remove. The real app runs in <see cref="DistributedCacheContract"/>.
/// </summary>
public static partial class RedisDifferential
{
    private static Dictionary<string, string[][]> AspNetCoreScripts() => new()
    {
        ["aspnet-distributed-cache"] =
        [
            ["HMSET", "app:entry", "absexp", "-1", "sldexp", "12000000000", "data", "value"], ["EXPIRE", "app:entry", "1200"],
            ["HMGET", "app:entry", "absexp", "sldexp", "data"], ["EXPIRE", "app:entry", "1200"], ["HMGET", "app:entry", "absexp", "sldexp"],
            ["TYPE", "app:entry"], ["HMSET", "app:abs", "absexp", "639320394279774373", "sldexp", "12000000000", "data", "\x03\x01\xa1 \xa0"],
            ["EXPIRE", "app:abs", "2"], ["HMGET", "app:abs", "absexp", "sldexp", "data"], ["PEXPIRE", "app:abs", "1910"],
            ["HMGET", "app:__MSFT_HCT__*", "absexp", "sldexp"], ["HGET", "app:__MSFT_HCT__*", "data"], ["HMGET", "app:abs", "absexp", "sldexp"],
            ["HGET", "app:abs", "data"], ["UNLINK", "app:entry", "app:abs"], ["HMGET", "app:entry", "absexp", "sldexp", "data"],
            ["EXISTS", "app:entry", "app:abs"],
        ],
    };
}
