namespace KubeCache.Examples.RateLimiter;

/// <summary>Where an instant falls among back-to-back windows of one length counted from the Unix epoch,
/// so every instance of the service agrees on the window a request belongs to.</summary>
public readonly record struct WindowPosition(long Index, TimeSpan Elapsed, TimeSpan Length)
{
    public static WindowPosition At(DateTimeOffset now, TimeSpan length)
    {
        long ticks = now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return new WindowPosition(ticks / length.Ticks, TimeSpan.FromTicks(ticks % length.Ticks), length);
    }

    /// <summary>Time left until the next window starts.</summary>
    public TimeSpan Remaining => Length - Elapsed;

    /// <summary>The share of this window still to come (1 at its start, near 0 at its end).</summary>
    public double RemainingShare => Remaining / Length;
}
