using KubeCache.Router.Upstream;
using KubeCache.Topology;

namespace KubeCache.Router.Routing;

/// <summary>The rings a router routes by at one moment: the current one and, during a rebalance, the previous one.</summary>
public sealed class Routes(RingDocument document)
{
    public RingDocument Document { get; } = document;

    public long Epoch => Document.Epoch;

    public Ring Ring { get; } = document.CurrentRing();

    /// <summary>The ring before the rebalance in progress, or null when none is.</summary>
    public Ring? Previous { get; } = document.PreviousRing();
}

/// <summary>
/// Follows ring documents and keeps one <see cref="NodeClient"/> per member of the current and
/// previous rings. Requests read <see cref="Routes"/> once and use that snapshot throughout, so a
/// ring change never splits one request across two rings. Documents only move forward (ordered by
/// <see cref="RingDocument.IsNewerThan"/>), whether they come from the ring source or from a node
/// that was further along.
/// </summary>
public sealed class RouteTable(UpstreamPool pool)
{
    private readonly Lock _lock = new();
    private volatile Routes? _routes;

    /// <summary>Raised after a new document is in use.</summary>
    public event Action<Routes>? Changed;

    /// <summary>The routes in use, or null before the first ring arrives.</summary>
    public Routes? Routes => _routes;

    public UpstreamPool Pool => pool;

    /// <summary>Takes a document from the ring source, unless the one in use is further along; the same point is taken again (addresses may have changed).</summary>
    public void Apply(RingDocument document) => Take(document, fromNode: false);

    /// <summary>Takes a document a node passed on, only when it is further along than the one in use.</summary>
    public bool Offer(RingDocument document) => Take(document, fromNode: true);

    private bool Take(RingDocument document, bool fromNode)
    {
        lock (_lock)
        {
            RingDocument? current = _routes?.Document;
            if (current is not null && (current.IsNewerThan(document) || (fromNode && !document.IsNewerThan(current))))
            {
                return false;
            }

            Use(document);
            return true;
        }
    }

    private void Use(RingDocument document)
    {
        var routes = new Routes(document);
        // Declared before the routes are published, so a node never judges them by an older ring.
        pool.Declare(document.ToUtf8Json());
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (RingMember member in routes.Ring.Members.Concat(routes.Previous?.Members ?? []))
        {
            if (names.Add(member.Name))
            {
                pool.GetOrAdd(member.Name, member.Resp);
            }
        }

        _routes = routes;
        foreach (NodeClient client in pool.Clients.Where(c => !names.Contains(c.Name)).ToList())
        {
            pool.Remove(client.Name);
        }

        Changed?.Invoke(routes);
    }

    public NodeClient ClientFor(RingMember member) => pool.GetOrAdd(member.Name, member.Resp);
}
