using KubeCache.CacheNode.Options;
using KubeCache.CacheNode.Storage;
using KubeCache.Topology;

namespace KubeCache.CacheNode.Cluster;

/// <summary>
/// The ring document the node answers by, whichever way it arrived: its ring source (file or
/// ConfigMap), or a router or node that was further along and passed its document on
/// (<c>KVRING</c>). Documents only move forward, ordered by <see cref="RingDocument.IsNewerThan"/>,
/// so the order in which they arrive stops mattering.
/// </summary>
public sealed class NodeRing(NodeOptions options, CacheStore store, ILogger<NodeRing> logger)
{
    /// <summary>Slots visited per SCAN step of <see cref="DropLeftBehind"/>.</summary>
    private const int ScanStep = 1024;

    private readonly Lock _lock = new();
    private volatile Fence? _fence;

    /// <summary>What commands enter before they judge keys, so a ring change can wait for them.</summary>
    public RingGate Gate { get; } = new();

    /// <summary>The fence in use, or null while the node has no ring (see <see cref="AwaitingRing"/>).</summary>
    public Fence? Fence => _fence;

    /// <summary>
    /// True while the node follows a ring source and has no document yet (a new pod whose watch
    /// has not delivered). It cannot judge any key then: a key moving here may still be at its
    /// previous owner, so key commands are refused with <c>KVSTALE 0</c> (a router hands over its
    /// document and sends again) instead of being served from this empty store. A node without a
    /// ring source runs alone and owns every key.
    /// </summary>
    public bool AwaitingRing => _fence is null && options.FollowsRingSource;

    public RingDocument? Current => _fence?.Document;

    public string NodeName => options.NodeName;

    /// <summary>Raised, in order, with each document taken.</summary>
    public event Action<RingDocument>? Changed;

    /// <summary>
    /// Takes <paramref name="document"/> when it is further along than the one in use. A document
    /// from the node's own ring source is also taken at the same point when it differs (addresses
    /// may have changed), keeping what the fence learnt at that point (previous owners done,
    /// claims, copies given); one a peer passed on is not, so a peer repeating it costs nothing. A peer's
    /// document that names this node in neither its current nor its previous members is never
    /// taken: it describes another cluster (a router configured with other names for these
    /// addresses), and judging keys by it would redirect every key away from here.
    /// </summary>
    /// <returns>Whether the document is in use now.</returns>
    public bool Offer(RingDocument document, bool fromPeer)
    {
        if (fromPeer && document.CurrentRing().Find(options.NodeName) is null && document.PreviousRing()?.Find(options.NodeName) is null)
        {
            return false;
        }

        Fence fence;
        lock (_lock)
        {
            RingDocument? current = _fence?.Document;
            if (current is not null && (current.IsNewerThan(document)
                || (!document.IsNewerThan(current) && (fromPeer || current.ToUtf8Json().AsSpan().SequenceEqual(document.ToUtf8Json())))))
            {
                return false;
            }

            fence = new Fence(document, options.NodeName, samePoint: current is not null && !document.IsNewerThan(current) ? _fence : null);
            long dropped = current is not null && document.IsNewerThan(current) ? DropLeftBehind(document) : 0;
            _fence = fence;
            Changed?.Invoke(document);
            if (dropped > 0)
            {
                Log.LeftBehindDropped(logger, document.Epoch, dropped);
            }
        }

        if (fromPeer)
        {
            Log.RingFromPeer(logger, document.Epoch, document.Previous is not null);
        }

        _ = SettleAsync(fence);
        return true;
    }

    /// <summary>
    /// Stores a copy of <paramref name="key"/> its previous owner handed off (KVHANDOFF) with
    /// <paramref name="store"/>, when the ring in use takes it: a rebalance under
    /// <paramref name="declaredEpoch"/>, the sender's, that gives the key to this node. Under the
    /// ring lock, so the ring cannot move on between the check and the store: a copy that landed
    /// after a newer ring is in use could undo what a command judged by that ring did to the key,
    /// or escape that ring's handoff. Not once a take has claimed the key
    /// (<see cref="Fence.StoreUnlessClaimed"/>). Returns null when the ring refuses the copy
    /// (<c>KVSTALE</c>), <see cref="StoreStatus.NotSet"/> when it was claimed.
    /// </summary>
    public StoreStatus? StoreHandedOff(long declaredEpoch, ReadOnlySpan<byte> key, Func<StoreStatus> store)
    {
        lock (_lock)
        {
            Fence? fence = _fence;
            return fence is null || !fence.Rebalancing || fence.Epoch != declaredEpoch || fence.Judge(key, out _) == Ownership.Moved
                ? null
                : fence.StoreUnlessClaimed(key, store);
        }
    }

    /// <summary>
    /// Deletes the keys a rebalance that finished at its deadline left here: those that the ring
    /// <paramref name="document"/> starts from (its previous ring while it rebalances, else its
    /// own) gives to another member, which is every key when this node is not in that ring (it
    /// was removed earlier, and what it still holds is what it did not hand off then). No command
    /// reaches them any more, and kept they would come back: a later handoff would send them on,
    /// and a later ring that gives them back to this node would serve them instead of taking the
    /// newer copy. Runs before the document is in use (under the lock, so no newer one can be) and
    /// so before this node can receive a key under it. Returns how many keys were deleted.
    /// </summary>
    private long DropLeftBehind(RingDocument document)
    {
        Ring start = document.PreviousRing() ?? document.CurrentRing();
        long dropped = 0;
        foreach (byte[] key in store.Keys(ScanStep))
        {
            if (start.OwnerOf(key).Name != options.NodeName && store.Delete(key) == StoreStatus.Ok)
            {
                dropped++;
            }
        }

        return dropped;
    }

    private async Task SettleAsync(Fence fence)
    {
        await Gate.WaitForEarlierAsync(CancellationToken.None).ConfigureAwait(false);
        fence.MarkSettled();
    }
}
