using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeCache.Router.Upstream;

/// <summary>
/// The router's clients for every node it forwards to, keyed by node name. The membership
/// source calls <see cref="GetOrAdd"/> and <see cref="Remove"/> as the ring changes; request
/// handlers call <see cref="GetOrAdd"/> for the owner of each key, which is a dictionary lookup
/// once the client exists. Thread-safe.
/// </summary>
public sealed class UpstreamPool : IAsyncDisposable
{
    // Read without the lock on every request; changed only under it.
    private readonly ConcurrentDictionary<string, NodeClient> _clients = new(StringComparer.Ordinal);
    private readonly List<Task> _retiring = [];
    private readonly Lock _sync = new();
    private readonly ILogger _logger;
    private bool _disposed;
    private byte[]? _declaredRing;

    /// <param name="options">Limits for every node client; the defaults when null.</param>
    /// <param name="logger">Where node mark-downs and recoveries are logged; nowhere when null.</param>
    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    public UpstreamPool(UpstreamOptions? options = null, ILogger? logger = null)
    {
        Options = options ?? new UpstreamOptions();
        Options.Validate();
        _logger = logger ?? NullLogger.Instance;
    }

    public UpstreamOptions Options { get; }

    /// <summary>A snapshot of the current clients, e.g. for metrics.</summary>
    public IReadOnlyList<NodeClient> Clients => [.. _clients.Values];

    /// <summary>
    /// The client for node <paramref name="name"/> at <paramref name="respAddress"/>
    /// (<c>host:port</c>). A client for the same name at another address is replaced: its
    /// connections close and its waiting requests fail with <see cref="UpstreamException"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The name is empty or the address is not host:port.</exception>
    /// <exception cref="ObjectDisposedException">The pool was disposed.</exception>
    public NodeClient GetOrAdd(string name, string respAddress)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(respAddress);
        if (_clients.TryGetValue(name, out NodeClient? client) && client.Address == respAddress)
        {
            return client;
        }

        lock (_sync)
        {
            if (_disposed)
            {
                ThrowHelper.ThrowDisposed<NodeClient>(nameof(UpstreamPool));
            }

            if (_clients.TryGetValue(name, out client) && client.Address == respAddress)
            {
                return client;
            }

            var created = new NodeClient(name, respAddress, Options, _logger);
            if (_declaredRing is { } ringJson)
            {
                created.Declare(ringJson);
            }

            if (client is not null)
            {
                Retire(client);
            }

            _clients[name] = created;
            return created;
        }
    }

    /// <summary>Declares the router's ring to every node, now and to each client added later (<see cref="NodeClient.Declare"/>).</summary>
    public void Declare(byte[] ringJson)
    {
        ArgumentNullException.ThrowIfNull(ringJson);
        lock (_sync)
        {
            _declaredRing = ringJson;
            foreach (NodeClient client in _clients.Values)
            {
                client.Declare(ringJson);
            }
        }
    }

    /// <summary>Closes and forgets the client for <paramref name="name"/>; false when there was none.</summary>
    public bool Remove(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_sync)
        {
            if (!_clients.TryRemove(name, out NodeClient? client))
            {
                return false;
            }

            Retire(client);
            return true;
        }
    }

    /// <summary>Closes every client, and waits for those removed earlier to finish closing.</summary>
    public async ValueTask DisposeAsync()
    {
        Task[] closing;
        lock (_sync)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (NodeClient client in _clients.Values)
            {
                _retiring.Add(client.DisposeAsync().AsTask());
            }

            _clients.Clear();
            closing = [.. _retiring];
            _retiring.Clear();
        }

        await Task.WhenAll(closing).ConfigureAwait(false);
    }

    // Called under _sync. The client closes once the requests on their way have their replies (at
    // most the request timeout); the task is kept so that DisposeAsync can wait for it.
    private void Retire(NodeClient client)
    {
        _retiring.RemoveAll(static task => task.IsCompleted);
        _retiring.Add(client.RetireAsync().AsTask());
    }
}
