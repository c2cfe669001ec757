using KubeCache.Router.Upstream;
using KubeCache.Topology;

namespace KubeCache.Router.Routing;

/// <summary>
/// The rings a router routes by at one moment: the current one and, during a rebalance, the
/// previous one; and the client of each current member, so a command to a key's owner needs no
/// look-up by name.
/// </summary>
public sealed class Routes
{
    private readonly NodeClient[] _clients;
    private readonly Func<RingMember, NodeClient> _clientFor;

    /// <param name="document">The ring document the routes follow.</param>
    /// <param name="clientFor">The pool's client for a member (<see cref="UpstreamPool.GetOrAdd"/>).</param>
    public Routes(RingDocument document, Func<RingMember, NodeClient> clientFor)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(clientFor);
        Document = document;
        Ring = document.CurrentRing();
        Previous = document.PreviousRing();
        _clientFor = clientFor;
        _clients = [.. Ring.Members.Select(clientFor)];
    }

    public RingDocument Document { get; }

    public long Epoch => Document.Epoch;

    public Ring Ring { get; }

    /// <summary>The ring before the rebalance in progress, or null when none is.</summary>
    public Ring? Previous { get; }

    /// <summary>
    /// The owner of <paramref name="key"/> by <see cref="Ring"/>, with its client. A client retired
    /// since (a newer ring dropped the member, or moved it to another address) is asked of the pool
    /// again, as a member outside this snapshot is.
    /// </summary>
    public (RingMember Owner, NodeClient Client) OwnerOf(ReadOnlySpan<byte> key)
    {
        int index = Ring.OwnerIndexOf(key);
        RingMember owner = Ring.Members[index];
        NodeClient client = _clients[index];
        return (owner, client.IsRetired ? _clientFor(owner) : client);
    }
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

    // The RESP address of each member of the document in use, current ring first, by name.
    private volatile Dictionary<string, string> _addresses = new(StringComparer.Ordinal);

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
        // The newest addresses first, so the routes' clients (created before the routes are
        // published: a request never finds its owner without one) are at the document's.
        var addresses = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (RingMember member in document.Members.Concat(document.Previous?.Members ?? []))
        {
            addresses.TryAdd(member.Name, member.Resp);
        }

        _addresses = addresses;
        var routes = new Routes(document, ClientFor);
        // Declared before the routes are published, so a node never judges them by an older ring.
        pool.Declare(document.ToUtf8Json());
        foreach ((string name, string resp) in addresses)
        {
            pool.GetOrAdd(name, resp);
        }

        _routes = routes;
        foreach (NodeClient client in pool.Clients.Where(c => !addresses.ContainsKey(c.Name)).ToList())
        {
            pool.Remove(client.Name);
        }

        Changed?.Invoke(routes);
    }

    /// <summary>
    /// The pool's client for <paramref name="member"/>, at the address the ring in use gives its
    /// name: a request still routed by an older snapshot reaches a member that came back elsewhere
    /// (a pod with a new IP) where it is now, and leaves the newer ring's client in place.
    /// </summary>
    public NodeClient ClientFor(RingMember member) =>
        pool.GetOrAdd(member.Name, _addresses.TryGetValue(member.Name, out string? resp) ? resp : member.Resp);
}
