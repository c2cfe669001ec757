using KubeCache.Topology;

namespace KubeCache.Router.Upstream;

/// <summary>The connection slots of a node client: the first not carrying a large value is used, each (re)connected when first needed.</summary>
public sealed partial class NodeClient
{
    // Each slot holds the connection, or the attempt to open it, so that callers arriving while a
    // connection is being opened wait for that attempt instead of opening one each.
    private readonly Task<UpstreamConnection>?[] _slots;
    // Never disposed: it has no timer, and a request racing with DisposeAsync may still read it.
    private readonly CancellationTokenSource _disposing = new();
    private uint _next;

    // Taken while declaring the router's ring and while a connection becomes usable, so every
    // connection carries the latest declaration before any command routed by that ring.
    private readonly Lock _declaring = new();
    private byte[]? _declaredRing;

    /// <summary>How often <see cref="RetireAsync"/> looks whether the requests on their way have been answered.</summary>
    private static readonly TimeSpan RetirePoll = TimeSpan.FromMilliseconds(10);

    /// <summary>Connections currently open to the node; at most <see cref="UpstreamOptions.ConnectionsPerNode"/>.</summary>
    public int OpenConnections
    {
        get
        {
            int open = 0;
            foreach (Task<UpstreamConnection>? slot in _slots)
            {
                open += Open(slot) is null ? 0 : 1;
            }

            return open;
        }
    }

    /// <summary>
    /// Closes every connection; requests still waiting fail with <see cref="UpstreamException"/>,
    /// and so does every later request.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposing.IsCancellationRequested)
        {
            return;
        }

        await _disposing.CancelAsync().ConfigureAwait(false);
        foreach (Task<UpstreamConnection>? slot in _slots)
        {
            if (slot is not null && await OpenedAsync(slot).ConfigureAwait(false) is { } connection)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Closes every connection once the requests already sent on it have their replies, or after
    /// <see cref="UpstreamOptions.RequestTimeout"/>: a node leaves the router's ring while
    /// commands are on their way to it, and those get the node's answer (a redirect the router
    /// follows, when the node is on the newer ring) rather than an error.
    /// </summary>
    public async ValueTask RetireAsync()
    {
        _retired = true;
        long giveUp = Environment.TickCount64 + (long)_options.RequestTimeout.TotalMilliseconds;
        while (Environment.TickCount64 < giveUp && _slots.Any(slot => slot is { IsCompletedSuccessfully: true } && !slot.Result.Idle))
        {
            await Task.Delay(RetirePoll).ConfigureAwait(false);
        }

        await DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Declares the router's ring document (its UTF-8 JSON) to the node: <c>KVRING json</c> is
    /// queued now on every open connection, and on each connection opened later before it carries
    /// anything, so the node has taken the document (or a newer one) before it judges a command
    /// routed by it (docs/topology.md, "Routers"). The replies are read and dropped; a connection
    /// that fails fails the commands behind the declaration too.
    /// </summary>
    public void Declare(byte[] ringJson)
    {
        ArgumentNullException.ThrowIfNull(ringJson);
        lock (_declaring)
        {
            _declaredRing = ringJson;
            foreach (Task<UpstreamConnection>? slot in _slots)
            {
                if (slot is { IsCompletedSuccessfully: true })
                {
                    DeclareOn(slot.Result, ringJson);
                }
            }
        }
    }

    private static void DeclareOn(UpstreamConnection connection, byte[] ringJson) =>
        _ = connection.SendAsync([RingProtocol.RingCommand, ringJson]).AsTask().ContinueWith(
            static declared => declared.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    /// <summary>
    /// The connection for the next request: the first slot whose connection is not carrying a
    /// large value (<see cref="UpstreamConnection.CarriesLargeTransfer"/>), so requests share one
    /// connection and a batch of them leaves in one write, as through a pipelining proxy. A slot is
    /// opened, or opened again after its connection died, when every slot before it is carrying a
    /// large value; when all are, requests take them in turn.
    /// </summary>
    private ValueTask<UpstreamConnection> GetConnectionAsync(CancellationToken cancellationToken)
    {
        for (int index = 0; index < _slots.Length; index++)
        {
            Task<UpstreamConnection>? slot = Volatile.Read(ref _slots[index]);
            if (Open(slot) is not { } connection)
            {
                return Opening(index, slot, cancellationToken);
            }

            if (!connection.CarriesLargeTransfer)
            {
                return new ValueTask<UpstreamConnection>(connection);
            }
        }

        int next = (int)(Interlocked.Increment(ref _next) % (uint)_slots.Length);
        Task<UpstreamConnection>? taken = Volatile.Read(ref _slots[next]);
        return Open(taken) is { } open ? new ValueTask<UpstreamConnection>(open) : Opening(next, taken, cancellationToken);
    }

    /// <summary>The slot's connection when it is open and alive, else null.</summary>
    private static UpstreamConnection? Open(Task<UpstreamConnection>? slot) =>
        slot is { IsCompletedSuccessfully: true } && slot.Result.IsAlive ? slot.Result : null;

    /// <summary>
    /// The connection of a slot the caller found without an open one: the attempt under way (or
    /// its connection, when it finished since the caller looked), or a new attempt when the slot
    /// is empty or its attempt or connection failed.
    /// </summary>
    internal ValueTask<UpstreamConnection> Opening(int index, Task<UpstreamConnection>? slot, CancellationToken cancellationToken)
    {
        if (Failed(slot))
        {
            slot = Reconnect(index, slot);
        }

        return new ValueTask<UpstreamConnection>(slot!.WaitAsync(cancellationToken));
    }

    /// <summary>
    /// Whether a slot needs a new attempt: empty, or its attempt or its connection failed. Both
    /// are final, so the answer cannot change under the caller; a slot whose attempt is still
    /// running, or succeeded with a connection that is alive, must not be replaced (that would
    /// close a connection other callers are already sending on).
    /// </summary>
    private static bool Failed([System.Diagnostics.CodeAnalysis.NotNullWhen(false)] Task<UpstreamConnection>? slot) =>
        slot is null || (slot.IsCompleted && Open(slot) is null);

    /// <summary>What slot <paramref name="index"/> holds now: a connection, the attempt to open one, or null (for tests).</summary>
    internal Task<UpstreamConnection>? Slot(int index) => Volatile.Read(ref _slots[index]);

    /// <summary>Starts opening a connection in place of <paramref name="dead"/>, unless another caller just did.</summary>
    private Task<UpstreamConnection> Reconnect(int index, Task<UpstreamConnection>? dead)
    {
        var opening = new TaskCompletionSource<UpstreamConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<UpstreamConnection>? current = Interlocked.CompareExchange(ref _slots[index], opening.Task, dead);
        if (current != dead)
        {
            return current!;
        }

        if (dead is { IsCompletedSuccessfully: true })
        {
            // Its connection failed (Failed): its loops have ended or are ending; disposing only waits for them.
            _ = dead.Result.DisposeAsync().AsTask();
        }

        _ = OpenAsync(opening);
        return opening.Task;
    }

    /// <summary>
    /// Opens a connection of its own to the node, outside the pool, for a client whose commands
    /// must share one node connection (WATCH then EXEC), declaring the router's ring on it first
    /// as on a pooled one; the caller disposes it.
    /// </summary>
    /// <exception cref="UpstreamException">The node is down or cannot be connected to.</exception>
    public async ValueTask<UpstreamConnection> OpenDedicatedAsync(CancellationToken cancellationToken)
    {
        if (IsDown)
        {
            throw UpstreamErrors.Down(Name, Address, "marked down");
        }

        UpstreamConnection connection = await UpstreamConnection.ConnectAsync(Name, Address, _options, cancellationToken).ConfigureAwait(false);
        lock (_declaring)
        {
            if (_declaredRing is { } ringJson)
            {
                DeclareOn(connection, ringJson);
            }
        }

        return connection;
    }

    private async Task OpenAsync(TaskCompletionSource<UpstreamConnection> opening)
    {
        try
        {
            if (_disposing.IsCancellationRequested)
            {
                throw UpstreamErrors.ClosedByRouter(Name, Address);
            }

            UpstreamConnection connection = await UpstreamConnection.ConnectAsync(Name, Address, _options, _disposing.Token).ConfigureAwait(false);
            lock (_declaring)
            {
                if (_declaredRing is { } ringJson)
                {
                    DeclareOn(connection, ringJson);
                }

                opening.SetResult(connection);
            }
        }
        catch (OperationCanceledException) when (_disposing.IsCancellationRequested)
        {
            opening.SetException(UpstreamErrors.ClosedByRouter(Name, Address));
        }
        catch (Exception e)
        {
            // Whatever went wrong, the callers waiting on this slot must hear of it.
            opening.SetException(e as UpstreamException ?? UpstreamErrors.ConnectFailed(Name, Address, e));
        }
    }

    private static async Task<UpstreamConnection?> OpenedAsync(Task<UpstreamConnection> slot)
    {
        try
        {
            return await slot.ConfigureAwait(false);
        }
        catch (UpstreamException)
        {
            return null;
        }
    }
}
