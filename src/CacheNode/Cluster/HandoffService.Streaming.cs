using KubeCache.CacheNode.Storage;
using KubeCache.Topology;

namespace KubeCache.CacheNode.Cluster;

/// <summary>The walk itself: batching keys per new owner and sending them with retries.</summary>
public sealed partial class HandoffService
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LongestRetryDelay = TimeSpan.FromSeconds(2);

    private async Task StreamAsync(Ring ring, CancellationToken cancellationToken)
    {
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
                        await SendAsync(owner, batch, senders, deadline, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            while (cursor != 0);

            foreach ((string name, List<HandoffItem> batch) in batches)
            {
                await SendAsync(ring.Find(name)!, batch, senders, deadline, cancellationToken).ConfigureAwait(false);
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
        RingMember owner, List<HandoffItem> batch, Dictionary<string, HandoffSender> senders, long deadline, CancellationToken cancellationToken)
    {
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
                    senders[owner.Name] = sender = await HandoffSender.ConnectAsync(owner.Name, owner.Resp, peers, cancellationToken).ConfigureAwait(false);
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
