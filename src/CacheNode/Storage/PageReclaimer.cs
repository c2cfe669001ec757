namespace KubeCache.CacheNode.Storage;

/// <summary>
/// Returns the record pages the store drops to the GC before they fill the heap's headroom.
/// Shared pages live on the pinned object heap and a large record's page mostly on the large
/// object heap, which only a full (gen 2) collection sweeps: a dropped page stays committed until
/// one runs, and the GC, while there is room under its hard limit, lets dropped pages pile up
/// there. Under a stream of 4 KiB writes a node in a 512 MiB container held 443 MiB committed of
/// its 448 MiB heap although its pages were at most 384 MiB; the pinned heap's regions, half
/// free, could not be handed to small objects, and a small allocation then failed and ended the
/// process. So once the bytes of pages dropped since the last full collection reach
/// <see cref="ThresholdBytes"/>, a background full collection is asked for, off the request path:
/// the pinned heap then stays within the pages' limit plus about the threshold.
/// </summary>
public sealed class PageReclaimer
{
    private readonly SemaphoreSlim _due = new(0, 1);
    private long _dropped;
    private int _signalled;
    private long _collections;

    /// <param name="thresholdBytes">Bytes of dropped pages after which a full collection is asked for.</param>
    public PageReclaimer(long thresholdBytes)
    {
        if (thresholdBytes <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(thresholdBytes), thresholdBytes, "the threshold must be positive.");
        }

        ThresholdBytes = thresholdBytes;
    }

    public long ThresholdBytes { get; }

    /// <summary>Full collections asked for so far.</summary>
    public long Collections => Volatile.Read(ref _collections);

    /// <summary>Bytes of pages dropped since the last collection was asked for.</summary>
    public long DroppedBytes => Volatile.Read(ref _dropped);

    /// <summary>Counts a dropped page; called under a shard's lock, so it only counts and, at the threshold, wakes <see cref="RunAsync"/>.</summary>
    public void Dropped(long bytes)
    {
        if (Interlocked.Add(ref _dropped, bytes) >= ThresholdBytes && Interlocked.Exchange(ref _signalled, 1) == 0)
        {
            _due.Release();
        }
    }

    /// <summary>Asks for a full background collection each time the threshold is reached, until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await _due.WaitAsync(cancellationToken).ConfigureAwait(false);
                Interlocked.Exchange(ref _dropped, 0);
                Volatile.Write(ref _signalled, 0);
                GC.Collect(2, GCCollectionMode.Forced, blocking: false, compacting: false);
                Interlocked.Increment(ref _collections);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
