using System.Threading.Channels;
using KubeCache.Background;
using KubeCache.CacheNode.Options;
using KubeCache.CacheNode.Storage;
using KubeCache.Security.Tls;
using KubeCache.Topology;

namespace KubeCache.CacheNode.Cluster;

/// <summary>
/// Hands keys to their new owners. On each new epoch it walks the store, and every
/// key the new ring gives to another member is sent there with its remaining TTL as
/// "set if absent", in batches bounded in keys and bytes, then dropped here unless it was
/// rewritten meanwhile. A failed send (refused, timed out, AUTH or TLS refused) is retried
/// with growing pauses until it goes through, so fixing the cause resumes the handoff. A newer
/// epoch arriving mid-way restarts the walk against the newer ring. A pass that fails
/// unexpectedly is reported (component <c>handoff</c>) and starts again after
/// <see cref="BackgroundErrors.RestartDelay"/>, so the epoch is still handed off. Memory stays
/// bounded: one SCAN step of keys and one batch per new owner are held at a time.
/// </summary>
public sealed partial class HandoffService(
    CacheStore store, NodeOptions options, HandoffProgress progress, PeerConnector peers, NodeRing ring, KeyPuller puller, BackgroundErrors errors,
    ILogger<HandoffService> logger)
    : BackgroundService
{
    /// <summary>The component a failed pass is reported as (log, <c>kvcache_background_errors_total</c>, fault injection).</summary>
    public const string Component = "handoff";

    /// <summary>Slots visited per SCAN step of the walk.</summary>
    private const int ScanStep = 1024;

    private readonly Channel<RingDocument> _documents = Channel.CreateBounded<RingDocument>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });

    private long _handledEpoch;
    private long _offeredEpoch;

    /// <summary>
    /// True while keys are being handed off (retries included), or a newer epoch has arrived and
    /// its handoff has not started yet (what the preStop hook waits for).
    /// </summary>
    public bool InProgress =>
        progress.State is HandoffState.Streaming or HandoffState.Retrying
        || Volatile.Read(ref _offeredEpoch) > Math.Max(progress.Epoch, Volatile.Read(ref _handledEpoch));

    /// <summary>Takes a ring document; a handoff starts for each epoch not handled yet.</summary>
    public void OnRingChanged(RingDocument document)
    {
        long offered;
        while ((offered = Volatile.Read(ref _offeredEpoch)) < document.Epoch
            && Interlocked.CompareExchange(ref _offeredEpoch, document.Epoch, offered) != offered)
        {
        }

        _documents.Writer.TryWrite(document);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        RingDocument? next = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            RingDocument document = next ?? await _documents.Reader.ReadAsync(stoppingToken).ConfigureAwait(false);
            next = null;
            // The finish of the epoch handed off already ends that handoff: past a deadline finish
            // the new owners no longer take keys, and keys they have deleted since must stay deleted.
            // So does the same point taken again while its pass waited (a finish a peer passed on,
            // then the node's own source's copy at other addresses): no member takes a copy under a
            // finish, and the keys not moved were dropped here when it came.
            if (document.Epoch <= _handledEpoch || (document.Previous is null && document.Epoch == progress.Epoch))
            {
                if (document.Epoch == progress.Epoch && progress.State != HandoffState.Done)
                {
                    progress.Ended();
                    Log.HandoffEnded(logger, document.Epoch, progress.KeysSent);
                    Volatile.Write(ref _handledEpoch, Math.Max(_handledEpoch, document.Epoch));
                }

                continue;
            }

            using var superseded = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            Task<RingDocument> newer = _documents.Reader.ReadAsync(superseded.Token).AsTask();
            Task pass = errors.SuperviseAsync(Component, token => RunPassAsync(document, token), superseded.Token);
            if (await Task.WhenAny(pass, newer).ConfigureAwait(false) == newer && newer.IsCompletedSuccessfully)
            {
                next = newer.Result;
                await superseded.CancelAsync().ConfigureAwait(false);
                await pass.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }

            await superseded.CancelAsync().ConfigureAwait(false);
            await ((Task)newer).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await pass.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (newer.IsCompletedSuccessfully)
            {
                next = newer.Result;
            }

            Volatile.Write(ref _handledEpoch, Math.Max(_handledEpoch, progress.State == HandoffState.Done ? document.Epoch : _handledEpoch));
        }
    }

    private async Task RunPassAsync(RingDocument document, CancellationToken cancellationToken)
    {
        progress.Begin(document.Epoch);
        Ring current = document.CurrentRing();
        try
        {
            // Writes judged by the previous ring land first, so the walk sees them.
            Fence? fence = ring.Fence is { } inUse && inUse.Document == document ? inUse : null;
            if (fence is not null)
            {
                await fence.Settled.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            // So do keys taken under an earlier ring whose answer came after this ring arrived.
            await puller.TakesBeforeAsync(document.Epoch).WaitAsync(cancellationToken).ConfigureAwait(false);

            progress.SetLeft(CountKeysToMove(current));
            Log.HandoffStarted(logger, document.Epoch, progress.KeysLeft);
            await StreamAsync(document, current, fence, cancellationToken).ConfigureAwait(false);
            await AnnounceDoneAsync(document, cancellationToken).ConfigureAwait(false);
            progress.Finish();
            Log.HandoffDone(logger, document.Epoch, progress.KeysSent, progress.KeysDropped);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Tells every other member of the new ring that nothing of theirs is left here (KVDONE), so
    /// they stop taking missing keys from this node, which may be stopped soon. A member that
    /// cannot be told keeps asking while this node runs; that costs a round trip, not a key.
    /// </summary>
    private async Task AnnounceDoneAsync(RingDocument document, CancellationToken cancellationToken)
    {
        if (document.Previous is null || document.Previous.Members.All(m => m.Name != options.NodeName))
        {
            return;
        }

        byte[] epoch = System.Text.Encoding.ASCII.GetBytes(document.Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture));
        byte[] self = System.Text.Encoding.UTF8.GetBytes(options.NodeName);
        byte[] json = document.ToUtf8Json();
        await Task.WhenAll(document.Members.Where(m => m.Name != options.NodeName).Select(async member =>
        {
            await using var peer = new PeerClient(member.Name, member.Resp, peers);
            try
            {
                await peer.CallAsync([Topology.RingProtocol.RingCommand, json], cancellationToken).ConfigureAwait(false);
                await peer.CallAsync([Topology.RingProtocol.DoneCommand, epoch, self], cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                Log.DoneNotAnnounced(logger, document.Epoch, member.Name, member.Resp, e.Message);
            }
        })).ConfigureAwait(false);
    }

    private bool OwnedHere(Ring ring, ReadOnlySpan<byte> key) =>
        ring.Members.Count > 0 && ring.OwnerOf(key).Name == options.NodeName;

    private long CountKeysToMove(Ring ring) =>
        ring.Members.Count == 0 ? 0 : store.Keys(ScanStep).LongCount(key => !OwnedHere(ring, key));
}
