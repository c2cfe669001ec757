using KubeCache.CacheNode.Options;
using KubeCache.Topology;

namespace KubeCache.CacheNode.Cluster;

/// <summary>
/// The ring document the node answers by, whichever way it arrived: its ring source (file or
/// ConfigMap), or a router or node that was further along and passed its document on
/// (<c>KVRING</c>). Documents only move forward, ordered by <see cref="RingDocument.IsNewerThan"/>,
/// so the order in which they arrive stops mattering.
/// </summary>
public sealed class NodeRing(NodeOptions options, ILogger<NodeRing> logger)
{
    private readonly Lock _lock = new();
    private volatile Fence? _fence;

    /// <summary>What commands enter before they judge keys, so a ring change can wait for them.</summary>
    public RingGate Gate { get; } = new();

    /// <summary>The fence in use, or null while the node has no ring and owns every key.</summary>
    public Fence? Fence => _fence;

    public RingDocument? Current => _fence?.Document;

    public string NodeName => options.NodeName;

    /// <summary>Raised, in order, with each document taken.</summary>
    public event Action<RingDocument>? Changed;

    /// <summary>
    /// Takes <paramref name="document"/> when it is further along than the one in use. A document
    /// from the node's own ring source is also taken at the same point when it differs (addresses
    /// may have changed); one a peer passed on is not, so a peer repeating it costs nothing, and
    /// what the fence learnt at that point (<see cref="Fence.HandedOff"/>) stays.
    /// </summary>
    /// <returns>Whether the document is in use now.</returns>
    public bool Offer(RingDocument document, bool fromPeer)
    {
        Fence fence;
        lock (_lock)
        {
            RingDocument? current = _fence?.Document;
            if (current is not null && (current.IsNewerThan(document)
                || (!document.IsNewerThan(current) && (fromPeer || current.ToUtf8Json().AsSpan().SequenceEqual(document.ToUtf8Json())))))
            {
                return false;
            }

            fence = new Fence(document, options.NodeName);
            _fence = fence;
            Changed?.Invoke(document);
        }

        if (fromPeer)
        {
            Log.RingFromPeer(logger, document.Epoch, document.Previous is not null);
        }

        _ = SettleAsync(fence);
        return true;
    }

    private async Task SettleAsync(Fence fence)
    {
        await Gate.WaitForEarlierAsync(CancellationToken.None).ConfigureAwait(false);
        fence.MarkSettled();
    }
}
