namespace KubeCache.CacheNode.Storage;

/// <summary>How a write sets the entry's time to live.</summary>
public enum ExpiryKind
{
    /// <summary>No TTL given: the store's default TTL applies (none unless configured).</summary>
    Default,

    /// <summary>Keep the TTL the entry already has (SET KEEPTTL).</summary>
    Keep,

    /// <summary>Never expire, even when a default TTL is configured.</summary>
    Never,

    /// <summary>Expire at <see cref="Expiry.Value"/> Unix milliseconds.</summary>
    AtUnixMilliseconds,

    /// <summary>Expire <see cref="Expiry.Value"/> milliseconds from now.</summary>
    AfterMilliseconds,
}

/// <summary>A TTL request; relative values are resolved by the store's clock.</summary>
public readonly record struct Expiry(ExpiryKind Kind, long Value)
{
    public static Expiry Default => default;

    public static Expiry Keep => new(ExpiryKind.Keep, 0);

    public static Expiry Never => new(ExpiryKind.Never, 0);

    public static Expiry At(long unixMilliseconds) => new(ExpiryKind.AtUnixMilliseconds, unixMilliseconds);

    public static Expiry After(long milliseconds) => new(ExpiryKind.AfterMilliseconds, milliseconds);

    public static Expiry After(TimeSpan ttl) => After((long)ttl.TotalMilliseconds);
}
