namespace KubeCache.Examples.RateLimiter;

/// <summary>Whether a request may run and, when it may not, how long the client should wait.</summary>
public readonly record struct RateDecision(bool Allowed, TimeSpan RetryAfter)
{
    public static RateDecision Allow { get; } = new(true, TimeSpan.Zero);

    public static RateDecision Deny(TimeSpan retryAfter) => new(false, retryAfter);

    /// <summary>The Retry-After header's whole seconds, rounded up so a client that waits them is allowed; at least 1.</summary>
    public int RetryAfterSeconds => Math.Max(1, (int)Math.Ceiling(RetryAfter.TotalSeconds));
}

/// <summary>Counts a client's request against a limit.</summary>
public interface IWindowLimiter
{
    WindowLimit Limit { get; }

    Task<RateDecision> AcquireAsync(string client);
}
