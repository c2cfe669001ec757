using System.Diagnostics;

namespace KubeCache.CacheNode.Storage;

/// <summary>
/// Reclaims expired entries that nobody reads (reads reclaim the rest lazily). Each cycle walks
/// every shard that has TTLs a step at a time and keeps going only while steps still find expired
/// entries and the cycle's time budget lasts, so its CPU use is at most budget / interval.
/// </summary>
public sealed class ExpiryCycle
{
    private readonly CacheStore _store;
    private readonly int[] _cursors;

    public ExpiryCycle(CacheStore store)
    {
        _store = store;
        _cursors = new int[store.Shards.Count];
    }

    /// <summary>Runs one cycle; returns how many expired entries it removed.</summary>
    public int RunOnce()
    {
        StoreOptions options = _store.Options;
        long started = Stopwatch.GetTimestamp();
        int removedTotal = 0;
        bool foundAny = true;
        while (foundAny && Stopwatch.GetElapsedTime(started) < options.ExpiryCycleBudget)
        {
            foundAny = false;
            for (int i = 0; i < _cursors.Length; i++)
            {
                Shard shard = _store.Shards[i];
                if (!shard.HasEntriesWithTtl)
                {
                    continue;
                }

                int removed = shard.ExpireStep(ref _cursors[i], options.ExpirySlotsPerStep);
                removedTotal += removed;
                foundAny |= removed > 0;
            }
        }

        return removedTotal;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_store.Options.ExpiryCycleInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                RunOnce();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
