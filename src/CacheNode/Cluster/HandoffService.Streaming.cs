using KubeCache.CacheNode.Storage;
using KubeCache.Topology;

namespace KubeCache.CacheNode.Cluster;

/// <summary>The walk itself: batching keys per new owner and sending them with retries.</summary>
public sealed partial class HandoffService
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LongestRetryDelay = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Held while a batch is on its way and its keys are dropped here, and by a new owner taking a
    /// key (<see cref="TakeAsync"/>) or a flush: a key is either in a batch that has landed, or
    /// still here to be taken, never in between.
    /// </summary>
    private readonly SemaphoreSlim _sending = new(1, 1);

    /// <summary>
    /// Removes a key a new owner takes (KVTAKE) and hands back its value and absolute expiry, or
    /// null when it is not here. Waits for a batch on its way, so the key is not sent after.
    /// </summary>
    public async Task<(ReadOnlyMemory<byte> Value, long ExpiresAt)?> TakeAsync(byte[] key, CancellationToken cancellationToken)
    {
        await _sending.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return store.Take(key, out ReadOnlyMemory<byte> value, out long expiresAt) == StoreStatus.Ok ? (value, expiresAt) : null;
        }
        finally
        {
            _sending.Release();
        }
    }

    /// <summary>Empties the store (FLUSHALL) once no batch is on its way; batches read before it send nothing it removed.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _sending.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            store.Clear();
        }
        finally
        {
            _sending.Release();
        }
    }

    private async Task StreamAsync(RingDocument document, CancellationToken cancellationToken)
    {
        Ring ring = document.CurrentRing();
        if (ring.Members.Count == 0)
        {
            return;
        }

        var batches = new Dictionary<string, List<HandoffItem>>(StringComparer.Ordinal);
        var senders = new Dictionary<string, HandoffSender>(StringComparer.Ordinal);
        long deadline = Environment.TickCount64 + (long)options.HandoffDeadline.TotalMilliseconds;
        try
        {
            var keys = new List<byte[]>();
            ulong cursor = 0;
            do
            {
                keys.Clear();
                cursor = store.Scan(cursor, ScanStep, keys);
                foreach (byte[] key in keys)
                {
                    RingMember owner = ring.OwnerOf(key);
                    if (owner.Name == options.NodeName)
                    {
                        continue;
                    }

                    if (store.Peek(key, out ReadOnlyMemory<byte> value, out long expiresAt) != StoreStatus.Ok)
                    {
                        // Counted to move, but deleted or expired since: nothing left to send.
                        progress.Skipped(1);
                        continue;
                    }

                    List<HandoffItem> batch = BatchFor(batches, owner.Name);
                    batch.Add(new HandoffItem(key, value, expiresAt));
                    if (batch.Count >= options.HandoffBatchKeys)
                    {
                        await SendAsync(document, owner, batch, senders, deadline, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            while (cursor != 0);

            foreach ((string name, List<HandoffItem> batch) in batches)
            {
                await SendAsync(document, ring.Find(name)!, batch, senders, deadline, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            foreach (HandoffSender sender in senders.Values)
            {
                await sender.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static List<HandoffItem> BatchFor(Dictionary<string, List<HandoffItem>> batches, string owner)
    {
        if (!batches.TryGetValue(owner, out List<HandoffItem>? batch))
        {
            batches[owner] = batch = [];
        }

        return batch;
    }

    /// <summary>Sends one batch, reconnecting with growing pauses until it goes through or the deadline passes.</summary>
    private async Task SendAsync(
        RingDocument document, RingMember owner, List<HandoffItem> batch, Dictionary<string, HandoffSender> senders, long deadline,
        CancellationToken cancellationToken)
    {
        await _sending.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await SendLockedAsync(document, owner, batch, senders, deadline, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sending.Release();
        }
    }

    private async Task SendLockedAsync(
        RingDocument document, RingMember owner, List<HandoffItem> batch, Dictionary<string, HandoffSender> senders, long deadline,
        CancellationToken cancellationToken)
    {
        // Keys taken by their new owner, or flushed, since they were read are no longer here: not sent.
        int read = batch.Count;
        batch.RemoveAll(item => store.Peek(item.Key, out _, out _) != StoreStatus.Ok);
        progress.Skipped(read - batch.Count);
        if (batch.Count == 0)
        {
            return;
        }

        TimeSpan delay = FirstRetryDelay;
        while (true)
        {
            try
            {
                if (!senders.TryGetValue(owner.Name, out HandoffSender? sender))
                {
                    senders[owner.Name] = sender = await HandoffSender.ConnectAsync(owner.Name, owner.Resp, peers, document, ring, cancellationToken).ConfigureAwait(false);
                }

                await sender.SendAsync(batch, cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or OperationCanceledException or FormatException
                && !cancellationToken.IsCancellationRequested)
            {
                if (senders.Remove(owner.Name, out HandoffSender? broken))
                {
                    await broken.DisposeAsync().ConfigureAwait(false);
                }

                if (e is FormatException || Environment.TickCount64 > deadline)
                {
                    throw new HandoffFailedException($"could not hand keys to {owner.Name} at {owner.Resp}: {e.Message}");
                }

                Log.HandoffRetry(logger, owner.Name, owner.Resp, e.Message);
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestRetryDelay.Ticks));
            }
        }

        foreach (HandoffItem item in batch)
        {
            // Dropped only if unchanged: a value written here meanwhile is newer and stays until the next epoch.
            store.DeleteIfEquals(item.Key, item.Value.Span);
        }

        progress.Sent(batch.Count);
        batch.Clear();
    }
}
