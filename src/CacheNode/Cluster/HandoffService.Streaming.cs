using KubeCache.CacheNode.Storage;
using KubeCache.Topology;

namespace KubeCache.CacheNode.Cluster;

/// <summary>The walk itself: batching keys per new owner and sending them with retries.</summary>
public sealed partial class HandoffService
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest pause between attempts: a fixed cause (a corrected key file, a started node) is noticed within it.</summary>
    private static readonly TimeSpan LongestRetryDelay = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Held for each attempt to send a batch (not the pauses between retries), and by a flush, so
    /// no batch read before a flush lands after it.
    /// </summary>
    private readonly SemaphoreSlim _sending = new(1, 1);

    /// <summary>Guards <see cref="_inFlight"/>, <see cref="_unanswered"/> and the take that checks them.</summary>
    private readonly Lock _inFlightLock = new();

    /// <summary>The keys of the batch on its way, until the new owner has answered for each and they are settled here.</summary>
    private readonly HashSet<string> _inFlight = new(StringComparer.Ordinal);

    /// <summary>
    /// The keys of attempts that ended without an answer (a broken connection, a timeout, a pass
    /// superseded by a newer ring): their copies may still land at the new owner, so a take counts
    /// them as on their way for as long as takes under <see cref="_unansweredEpoch"/> can come.
    /// </summary>
    private readonly HashSet<string> _unanswered = new(StringComparer.Ordinal);

    private long _unansweredEpoch;

    /// <summary>
    /// Removes a key a new owner takes (KVTAKE with <paramref name="token"/>) and hands back its
    /// value, kind and absolute expiry (null value: not here), and whether a batch on its way holds a
    /// copy of it: the new owner then refuses that copy when it lands (<see cref="Fence.Claim"/>).
    /// The same take asked again gets the copy it was given, which its first answer may not have
    /// delivered. A take never waits for the network.
    /// </summary>
    public (ReadOnlyMemory<byte>? Value, ValueKind Kind, long ExpiresAt, bool InFlight) Take(Fence fence, byte[] key, string token)
    {
        string id = Convert.ToBase64String(key);
        lock (_inFlightLock)
        {
            bool inFlight = _inFlight.Contains(id) || _unanswered.Contains(id);
            if (store.Take(key, out ReadOnlyMemory<byte> value, out ValueKind kind, out long expiresAt) == StoreStatus.Ok)
            {
                byte[] copy = value.ToArray();
                fence.Gave(id, token, copy, kind, expiresAt);
                return (copy, kind, expiresAt, inFlight);
            }

            // The cast matters: a bare null would become an empty value through byte[], not "absent".
            return fence.TryGiven(id, token, out GivenKey given)
                ? (given.Value, given.Kind, given.ExpiresAt, inFlight)
                : ((ReadOnlyMemory<byte>?)null, ValueKind.String, 0, inFlight);
        }
    }

    /// <summary>
    /// Empties the store (FLUSHALL) once no batch is on its way; batches read before it send nothing
    /// it removed, and neither does a take or the handoff send a copy given away before it.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _sending.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            lock (_inFlightLock)
            {
                store.Clear();
                ring.Fence?.ForgetGiven();
            }
        }
        finally
        {
            _sending.Release();
        }
    }

    /// <summary>
    /// Sends every key here that the ring gives to another member, then every copy given to a take
    /// under this ring (<see cref="Fence.GivenCopies"/>): a take's answer may have been lost with no
    /// command there asking again, and then the copy given is the only one left. A new owner that
    /// heard the answer has claimed the key and refuses the copy; one that did not stores it if
    /// absent. The copies are read once the batches are answered, and again until a look finds none
    /// not sent yet, as takes go on meanwhile. <paramref name="current"/> is the document's current
    /// ring, <paramref name="fence"/> the fence in use for it (null once another document is).
    /// </summary>
    private async Task StreamAsync(RingDocument document, Ring current, Fence? fence, CancellationToken cancellationToken)
    {
        if (current.Members.Count == 0)
        {
            return;
        }

        var batches = new Dictionary<string, HandoffBatch>(StringComparer.Ordinal);
        var senders = new Dictionary<string, HandoffSender>(StringComparer.Ordinal);
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
                    RingMember owner = current.OwnerOf(key);
                    if (owner.Name == options.NodeName)
                    {
                        continue;
                    }

                    if (store.Peek(key, out ReadOnlyMemory<byte> value, out ValueKind kind, out long expiresAt) != StoreStatus.Ok)
                    {
                        // Counted to move, but deleted or expired since: nothing left to send.
                        progress.Skipped(1);
                        continue;
                    }

                    await AddAsync(new HandoffItem(key, value, kind, expiresAt), owner).ConfigureAwait(false);
                }
            }
            while (cursor != 0);

            await SendAllAsync().ConfigureAwait(false);

            var resent = new HashSet<string>(StringComparer.Ordinal);
            List<(string Id, GivenKey Copy)> given;
            while (fence is not null && (given = [.. fence.GivenCopies().Where(copy => resent.Add(copy.Id))]).Count > 0)
            {
                progress.Resending(given.Count);
                foreach ((string id, GivenKey copy) in given)
                {
                    byte[] key = Convert.FromBase64String(id);
                    await AddAsync(new HandoffItem(key, copy.Value, copy.Kind, copy.ExpiresAt, Given: true), current.OwnerOf(key)).ConfigureAwait(false);
                }

                await SendAllAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            foreach (HandoffSender sender in senders.Values)
            {
                await sender.DisposeAsync().ConfigureAwait(false);
            }
        }

        async Task AddAsync(HandoffItem item, RingMember owner)
        {
            HandoffBatch batch = BatchFor(batches, owner.Name);
            if (!batch.Fits(item, options.HandoffBatchBytes))
            {
                await SendAsync(document, owner, batch, senders, cancellationToken).ConfigureAwait(false);
            }

            batch.Add(item);
            if (batch.Items.Count >= options.HandoffBatchKeys)
            {
                await SendAsync(document, owner, batch, senders, cancellationToken).ConfigureAwait(false);
            }
        }

        async Task SendAllAsync()
        {
            foreach ((string name, HandoffBatch batch) in batches)
            {
                await SendAsync(document, current.Find(name)!, batch, senders, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static HandoffBatch BatchFor(Dictionary<string, HandoffBatch> batches, string owner)
    {
        if (!batches.TryGetValue(owner, out HandoffBatch? batch))
        {
            batches[owner] = batch = new HandoffBatch();
        }

        return batch;
    }

    /// <summary>
    /// Sends one batch, reconnecting with growing pauses until it goes through: every failure
    /// (refused, timed out, AUTH or TLS refused, a broken reply, a new owner on another ring) is
    /// retried, since its cause (a node starting, a key file or certificate being corrected) can
    /// be fixed while the rebalance waits. Each change of the error is logged once, and so is the
    /// recovery. <see cref="_sending"/> is held for each attempt, not across the pauses, so a new
    /// owner can take keys while sending fails.
    /// </summary>
    private async Task SendAsync(
        RingDocument document, RingMember owner, HandoffBatch batch, Dictionary<string, HandoffSender> senders, CancellationToken cancellationToken)
    {
        TimeSpan delay = FirstRetryDelay;
        long failures = 0;
        while (true)
        {
            try
            {
                await _sending.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    await SendLockedAsync(document, owner, batch, senders, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    _sending.Release();
                }

                break;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                if (senders.Remove(owner.Name, out HandoffSender? broken))
                {
                    await broken.DisposeAsync().ConfigureAwait(false);
                }

                failures++;
                string problem = $"cannot hand keys to {owner.Name} at {owner.Resp}: {HandoffSender.Describe(e)}";
                if (progress.Failing(problem))
                {
                    Log.HandoffRetrying(logger, progress.Epoch, problem);
                }

                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestRetryDelay.Ticks));
            }
            catch (Exception e) when (cancellationToken.IsCancellationRequested && e is not OperationCanceledException)
            {
                // The pass was superseded (or the node stops) as the attempt failed, often through
                // that failure: a new owner further along gives its ring, which supersedes the pass.
                throw new OperationCanceledException("the handoff pass was superseded", e, cancellationToken);
            }
        }

        if (progress.Recovered())
        {
            Log.HandoffRecovered(logger, progress.Epoch, owner.Name, failures);
        }
    }

    /// <summary>One attempt, under <see cref="_sending"/>: send what is still here, then settle it.</summary>
    private async Task SendLockedAsync(
        RingDocument document, RingMember owner, HandoffBatch batch, Dictionary<string, HandoffSender> senders, CancellationToken cancellationToken)
    {
        // Keys taken by their new owner, or flushed, since they were read are no longer here: not sent
        // (a copy given to a take is sent all the same, see StreamAsync).
        string[] ids;
        lock (_inFlightLock)
        {
            if (_unansweredEpoch != document.Epoch)
            {
                // A take under the older epoch is refused here now, and the new owner learns this
                // node's ring from the refusal; on it, it refuses the older epoch's copies.
                _unanswered.Clear();
                _unansweredEpoch = document.Epoch;
            }

            progress.Skipped(batch.RemoveGone(item => !item.Given && store.Peek(item.Key, out _, out _, out _) != StoreStatus.Ok));
            ids = [.. batch.Items.Select(item => Convert.ToBase64String(item.Key))];
            _inFlight.UnionWith(ids);
        }

        bool answered = false;
        try
        {
            await SendInFlightAsync(document, owner, batch, senders, cancellationToken).ConfigureAwait(false);
            answered = true;
        }
        finally
        {
            lock (_inFlightLock)
            {
                _inFlight.ExceptWith(ids);
                if (!answered)
                {
                    _unanswered.UnionWith(ids);
                }
            }
        }
    }

    private async Task SendInFlightAsync(
        RingDocument document, RingMember owner, HandoffBatch batch, Dictionary<string, HandoffSender> senders, CancellationToken cancellationToken)
    {
        if (batch.Items.Count == 0)
        {
            return;
        }

        if (!senders.TryGetValue(owner.Name, out HandoffSender? sender))
        {
            senders[owner.Name] = sender = await HandoffSender.ConnectAsync(owner.Name, owner.Resp, peers, document, ring, cancellationToken).ConfigureAwait(false);
        }

        HandoffOutcome[] outcomes = await sender.SendAsync(batch.Items, cancellationToken).ConfigureAwait(false);
        Settle(batch.Items, outcomes);
        batch.Clear();
    }

    /// <summary>
    /// Drops the sent keys here, each only if unchanged: a value written here meanwhile is newer
    /// and stays until the next epoch. A key the new owner had no room for is dropped too and
    /// counted as such, since this node no longer answers for it once the rebalance ends.
    /// </summary>
    private void Settle(IReadOnlyList<HandoffItem> items, HandoffOutcome[] outcomes)
    {
        long dropped = 0;
        for (int i = 0; i < items.Count; i++)
        {
            store.DeleteIfEquals(items[i].Key, items[i].Value.Span, items[i].Kind);
            dropped += outcomes[i] == HandoffOutcome.NoRoom ? 1 : 0;
        }

        progress.Sent(items.Count - dropped);
        progress.Dropped(dropped);
    }
}
