using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using KubeCache.CacheNode.Options;
using KubeCache.CacheNode.Storage;
using KubeCache.Protocol;
using KubeCache.Security.Tls;
using KubeCache.Topology;

namespace KubeCache.CacheNode.Cluster;

/// <summary>
/// Takes keys that move here from their previous owner before a command touches them
/// (<c>KVTAKE</c>): the previous owner removes its copy in the same step, so neither its
/// background handoff nor a read there can bring an older value back, and whatever the command
/// does here is final. One take per key at a time; callers touching the same key share it.
/// </summary>
public sealed class KeyPuller(CacheStore store, NodeRing ring, PeerConnector peers, NodeOptions options, ILogger<KeyPuller> logger) : IAsyncDisposable
{
    /// <summary>How often a command waiting for a newer ring (<see cref="NodeOptions.PreviousOwnerWait"/>) looks.</summary>
    private static readonly TimeSpan RingWaitStep = TimeSpan.FromMilliseconds(20);

    /// <summary>How often a take is retried after the two nodes brought their rings in line.</summary>
    private const int RingExchanges = 3;

    // Keyed by name and RESP address: a member that comes back at another address is a new peer.
    private readonly ConcurrentDictionary<(string Name, string Resp), PeerClient> _peers = new();
    // One take per key and epoch at a time, so callers touching the same key share it.
    private readonly ConcurrentDictionary<(long Epoch, string Key), Task> _taking = new();
    // Each take's token until it has an answer: asking again after a lost answer, whether this
    // command or a later one, uses the same token, and the previous owner gives the same copy.
    private readonly ConcurrentDictionary<(long Epoch, string Key), string> _tokens = new();

    /// <summary>
    /// Takes each key from its previous owner under <paramref name="fence"/> and stores what comes
    /// back (unless the key is here already). Returns early, without error, when a peer turns
    /// out to be on a newer ring: the node has taken that ring, and the caller judges again.
    /// </summary>
    /// <exception cref="IOException">A previous owner could not be reached or refused; the key's state is unknown, so the command must not run.</exception>
    public Task PullAsync(Fence fence, IReadOnlyList<(byte[] Key, RingMember From)> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 1)
        {
            return PullOneAsync(fence, keys[0].Key, keys[0].From, cancellationToken);
        }

        var pulls = new Task[keys.Count];
        for (int i = 0; i < keys.Count; i++)
        {
            pulls[i] = PullOneAsync(fence, keys[i].Key, keys[i].From, cancellationToken);
        }

        return Task.WhenAll(pulls);
    }

    /// <summary>
    /// Completes once every take started under a ring older than <paramref name="epoch"/> has
    /// ended, having stored what it took. The handoff of <paramref name="epoch"/> walks the store
    /// only after this, so a key whose take was answered while the ring moved on is handed on
    /// instead of being left behind here. Takes register before their command leaves the ring
    /// gate, so once the ring change has settled none of them can be missed.
    /// </summary>
    public Task TakesBeforeAsync(long epoch)
    {
        foreach ((long Epoch, string Key) unanswered in _tokens.Keys.Where(id => id.Epoch < epoch))
        {
            // A previous owner keeps what it gave only under the ring it gave it by.
            _tokens.TryRemove(unanswered, out _);
        }

        Task[] older = [.. _taking.Where(take => take.Key.Epoch < epoch).Select(take => take.Value)];
        return older.Length == 0 ? Task.CompletedTask : Task.WhenAll(older).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    private Task PullOneAsync(Fence fence, byte[] key, RingMember from, CancellationToken cancellationToken)
    {
        (long, string) id = (fence.Epoch, Convert.ToBase64String(key));
        var mine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task shared = _taking.GetOrAdd(id, mine.Task);
        if (shared != mine.Task)
        {
            return shared.WaitAsync(cancellationToken);
        }

        return RunAsync();

        async Task RunAsync()
        {
            try
            {
                if (await TakeAsync(fence, key, from, _tokens.GetOrAdd(id, static _ => NewToken()), cancellationToken).ConfigureAwait(false))
                {
                    _tokens.TryRemove(id, out _);
                }
                mine.TrySetResult();
            }
            catch (Exception e)
            {
                mine.TrySetException(e);
                throw;
            }
            finally
            {
                _taking.TryRemove(new KeyValuePair<(long, string), Task>(id, mine.Task));
            }
        }
    }

    private static string NewToken() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));

    /// <summary>
    /// One take; true once the previous owner answered it. False when it returned early because
    /// this node took a newer document meanwhile (or the same point again from its own source): the
    /// caller judges again, and a take then asked again keeps the token, since the previous owner
    /// may have given the key to this one with its answer lost.
    /// </summary>
    private async Task<bool> TakeAsync(Fence fence, byte[] key, RingMember from, string token, CancellationToken cancellationToken)
    {
        PeerClient peer = PeerFor(from);
        long flushes = store.Flushes;
        byte[] epoch = Encoding.ASCII.GetBytes(fence.Epoch.ToString(CultureInfo.InvariantCulture));
        ReadOnlyMemory<byte>[] take = [RingProtocol.TakeCommand, epoch, key, Encoding.ASCII.GetBytes(token)];
        for (int exchange = 0; ; exchange++)
        {
            RespValue reply;
            try
            {
                reply = await CallAgainIfCutAsync(peer, take, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                if (await NewerRingFromMembersAsync(fence, from, cancellationToken).ConfigureAwait(false)
                    || await NewerRingWithinAsync(fence, options.PreviousOwnerWait, cancellationToken).ConfigureAwait(false))
                {
                    return false;
                }

                Log.PullFailed(logger, from.Name, from.Resp, e.Message);
                throw new IOException($"the previous owner {from.Name} ({from.Resp}) cannot be reached: {e.Message}", e);
            }

            if (reply.IsNull)
            {
                return true;
            }

            if (reply.Kind == RespValueKind.Array && reply.Items.Count == 4 && ValueKindNames.TryParse(reply.Items[3].Bytes.Span, out ValueKind kind))
            {
                bool given = !reply.Items[0].IsNull;
                if (given)
                {
                    // Stored only if absent (a copy here came from the same owner's handoff, and nothing newer can be
                    // elsewhere), and not once a command wrote the key here: the previous owner keeps a copy it sent
                    // until its batch is answered, so what it gives may be older than what landed and was changed here.
                    RespValue value = reply.Items[0];
                    long expiresAt = reply.Items[1].AsInt64();
                    fence.StoreUnlessClaimed(key, () => store.SetTaken(key, value.Bytes.Span, kind, expiresAt, flushes));
                }

                if (given || reply.Items[2].AsInt64() == 1)
                {
                    // A copy may still come from the previous owner: a handoff batch on its way, or the copy it
                    // gave, which its handoff sends once more in case this answer was lost. What is here now, and
                    // what the command does next, is newer: refuse the copy when it lands.
                    fence.Claim(key);
                }

                return true;
            }

            if (exchange < RingExchanges
                && RingProtocol.TryParse(reply.AsString(), out string code, out long theirs, out bool rebalancing) && code == RingProtocol.StaleCode)
            {
                if (RingProtocol.PeerIsNewer(fence.Document, theirs, rebalancing))
                {
                    await LearnAsync(peer, cancellationToken).ConfigureAwait(false);
                    return false;
                }

                await peer.CallAsync([RingProtocol.RingCommand, fence.Document.ToUtf8Json()], cancellationToken).ConfigureAwait(false);
                continue;
            }

            throw new IOException($"the previous owner {from.Name} ({from.Resp}) refused to hand the key over: {reply.AsString()}");
        }
    }

    /// <summary>
    /// Sends a take, and once more on a new connection when the first closed before its answer:
    /// the previous owner may have given the key away already, and gives the same copy again.
    /// A timeout is not repeated, so an unreachable owner costs one timeout, not two.
    /// </summary>
    private static async Task<RespValue> CallAgainIfCutAsync(PeerClient peer, ReadOnlyMemory<byte>[] take, CancellationToken cancellationToken)
    {
        try
        {
            return await peer.CallAsync(take, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e) when (e.InnerException is not OperationCanceledException)
        {
            return await peer.CallAsync(take, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Asks the other members of <paramref name="fence"/>'s ring for their documents when the
    /// previous owner <paramref name="unreachable"/> cannot be reached: the rebalance may have
    /// finished (at its deadline) and that node been stopped, which a member that has applied the
    /// finish knows. True when this node has taken a newer document, so the caller judges again.
    /// </summary>
    private async Task<bool> NewerRingFromMembersAsync(Fence fence, RingMember unreachable, CancellationToken cancellationToken)
    {
        foreach (RingMember member in fence.Document.Members.Where(m => m.Name != ring.NodeName && m.Name != unreachable.Name))
        {
            try
            {
                await LearnAsync(PeerFor(member), cancellationToken).ConfigureAwait(false);
            }
            catch (IOException)
            {
                // That member cannot say either; ask the next one.
            }

            if (ring.Fence != fence)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Waits up to <paramref name="wait"/> for this node to take a newer document than
    /// <paramref name="fence"/>'s, from its ring source or a peer: the rebalance may have finished at
    /// its deadline and stopped the previous owner a moment before the finish reaches any member.
    /// True when one came, so the caller judges again. The command waits inside the ring gate, which
    /// delays nothing: a new document is in use as soon as it is offered, and the gate only holds
    /// its handoff back until this command has left.
    /// </summary>
    private async Task<bool> NewerRingWithinAsync(Fence fence, TimeSpan wait, CancellationToken cancellationToken)
    {
        long giveUp = Environment.TickCount64 + (long)wait.TotalMilliseconds;
        while (ring.Fence == fence && Environment.TickCount64 < giveUp)
        {
            await Task.Delay(RingWaitStep, cancellationToken).ConfigureAwait(false);
        }

        return ring.Fence != fence;
    }

    private PeerClient PeerFor(RingMember member) =>
        _peers.GetOrAdd((member.Name, member.Resp), static (key, connector) => new PeerClient(key.Name, key.Resp, connector), peers);

    /// <summary>Fetches a peer's ring document and takes it if it is further along.</summary>
    internal async Task LearnAsync(PeerClient peer, CancellationToken cancellationToken)
    {
        RespValue document = await peer.CallAsync([RingProtocol.RingCommand], cancellationToken).ConfigureAwait(false);
        if (document.Kind != RespValueKind.BulkString || document.IsNull)
        {
            return;
        }

        try
        {
            ring.Offer(RingDocument.Parse(document.Bytes.Span), fromPeer: true);
        }
        catch (RingFormatException e)
        {
            throw new IOException($"{peer.NodeName} sent a ring document that does not parse: {e.Message}", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (PeerClient peer in _peers.Values)
        {
            await peer.DisposeAsync().ConfigureAwait(false);
        }
    }
}
