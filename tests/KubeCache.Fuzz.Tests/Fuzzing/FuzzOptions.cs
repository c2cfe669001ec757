namespace KubeCache.Fuzz.Tests.Fuzzing;

/// <summary>One campaign: which seed, how many cases, and the watchdog's limits.</summary>
public sealed record FuzzOptions(ulong Seed, long Cases)
{
    /// <summary>Longest one case may run before it counts as a hang. Default 10 s: parsers take microseconds, a node round trip milliseconds, and the machine may be loaded.</summary>
    public TimeSpan CaseTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Most reruns spent minimising a failure. Default 2,000.</summary>
    public int MinimizeAttempts { get; init; } = 2000;
}
