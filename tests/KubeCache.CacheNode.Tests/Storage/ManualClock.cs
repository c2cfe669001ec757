namespace KubeCache.CacheNode.Tests.Storage;

/// <summary>
/// A clock that moves only when a test advances it, so TTL tests neither wait nor race.
/// (Microsoft.Extensions.TimeProvider.Testing is not available from the package source.)
/// </summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long _utcTicks = start.UtcTicks;

    public ManualClock()
        : this(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    public long UnixMilliseconds => GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Runs on every read of the clock, which lets a test look at a shard from inside its lock.</summary>
    public Action? OnRead { get; set; }

    public override DateTimeOffset GetUtcNow()
    {
        OnRead?.Invoke();
        return new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);
    }

    public void Advance(TimeSpan by) => Interlocked.Add(ref _utcTicks, by.Ticks);

    public void AdvanceMilliseconds(long milliseconds) => Advance(TimeSpan.FromMilliseconds(milliseconds));
}
