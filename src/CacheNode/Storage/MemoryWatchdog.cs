namespace KubeCache.CacheNode.Storage;

/// <summary>Tells the watchdog whether the process is short of memory.</summary>
public interface IMemoryPressureProbe
{
    bool IsUnderPressure();
}

/// <summary>
/// The GC's own view: memory load at or above its high-memory-load threshold (by default 90% of
/// the container limit or of physical memory), as of the last collection.
/// </summary>
public sealed class GcMemoryPressureProbe : IMemoryPressureProbe
{
    public bool IsUnderPressure()
    {
        GCMemoryInfo info = GC.GetGCMemoryInfo();
        return info.HighMemoryLoadThresholdBytes > 0 && info.MemoryLoadBytes >= info.HighMemoryLoadThresholdBytes;
    }
}

/// <summary>
/// Sheds entries when the process runs short of memory although the byte budget holds (for
/// example when other memory grows): every shard evicts its least recently used entries down to
/// a low-water mark of what it held. It never clears the cache.
/// </summary>
public sealed class MemoryWatchdog
{
    private readonly CacheStore _store;
    private readonly IMemoryPressureProbe _probe;
    private readonly MemoryWatchdogOptions _options;

    public MemoryWatchdog(CacheStore store, IMemoryPressureProbe probe, MemoryWatchdogOptions options)
    {
        options.Validate();
        _store = store;
        _probe = probe;
        _options = options;
    }

    /// <summary>Checks once; returns how many entries were evicted.</summary>
    public int CheckOnce()
    {
        if (!_probe.IsUnderPressure())
        {
            return 0;
        }

        int evicted = 0;
        foreach (Shard shard in _store.Shards)
        {
            evicted += shard.EvictToFraction(_options.LowWaterFraction, EvictionReason.MemoryPressure);
        }

        return evicted;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.CheckInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                CheckOnce();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}

/// <summary>How the watchdog reacts to memory pressure.</summary>
public sealed class MemoryWatchdogOptions
{
    /// <summary>How often pressure is checked. Default 1 s.</summary>
    public TimeSpan CheckInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Share of its bytes each shard keeps when pressure is seen; checks repeat while pressure
    /// lasts, so 0.9 sheds 10% per interval. Default 0.9.
    /// </summary>
    public double LowWaterFraction { get; init; } = 0.9;

    /// <summary>Throws when the watchdog could clear the cache (a fraction of 0) or never run.</summary>
    public void Validate()
    {
        if (!(LowWaterFraction is > 0 and < 1))
        {
            throw new ArgumentException($"the low-water fraction must be above 0 and below 1 (got {LowWaterFraction}); 0 would clear the cache.");
        }

        if (CheckInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"the check interval must be positive (got {CheckInterval}).");
        }
    }
}
