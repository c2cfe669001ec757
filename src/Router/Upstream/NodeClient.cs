using System.Diagnostics;
using KubeCache.Protocol;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeCache.Router.Upstream;

/// <summary>
/// The router's client for one node: a few pipelined connections, the first shared by every
/// request while it carries no large value, each opened when first needed, and a mark-down state
/// that makes requests to a failing node fail at once instead of waiting for it. Thread-safe; one instance per node, held by <see cref="UpstreamPool"/>.
/// </summary>
/// <remarks>
/// A request fails with <see cref="UpstreamException"/> when the node cannot be connected to
/// within <see cref="UpstreamOptions.ConnectTimeout"/>, does not answer within
/// <see cref="UpstreamOptions.RequestTimeout"/>, closes or resets the connection, or is marked
/// down. Any of these marks it down (see <see cref="UpstreamOptions.MarkDownInterval"/>).
/// Error replies from the node are replies, not failures.
/// </remarks>
public sealed partial class NodeClient : IAsyncDisposable
{
    private readonly UpstreamOptions _options;
    private readonly NodeHealth _health;
    private volatile bool _retired;
    private readonly ILogger _logger;
    private long _succeeded;
    private long _failed;

    /// <param name="name">The node's name, e.g. its pod name; it appears in every error message.</param>
    /// <param name="address">The node's RESP address, <c>host:port</c>.</param>
    /// <param name="options">Limits; the defaults when null.</param>
    /// <param name="logger">Where mark-downs and recoveries are logged; nowhere when null.</param>
    /// <exception cref="ArgumentException">The name is empty, the address is not host:port, or an option is out of range.</exception>
    public NodeClient(string name, string address, UpstreamOptions? options = null, ILogger? logger = null)
        : this(name, address, options ?? new UpstreamOptions(), logger, TimeProvider.System)
    {
    }

    internal NodeClient(string name, string address, UpstreamOptions options, ILogger? logger, TimeProvider time)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            ThrowHelper.ThrowBadNodeName(nameof(name));
        }

        NodeAddress.Parse(address, nameof(address));
        options.Validate();
        Name = name;
        Address = address;
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _health = new NodeHealth(options, time);
        _slots = new Task<UpstreamConnection>?[options.ConnectionsPerNode];
    }

    /// <summary>The node's name.</summary>
    public string Name { get; }

    /// <summary>The node's RESP address, <c>host:port</c>.</summary>
    public string Address { get; }

    /// <summary>Whether the pool has let this client go (<see cref="RetireAsync"/>): a newer ring dropped the node or gave it another address.</summary>
    public bool IsRetired => _retired;

    /// <summary>Whether the node is marked down: it failed and no probe has succeeded since.</summary>
    public bool IsDown => _health.IsDown;

    /// <summary>Length of the current mark-down; it doubles with each failed probe. Zero while the node is up.</summary>
    public TimeSpan DownInterval => _health.Interval;

    /// <summary>Requests that got a reply, error replies included.</summary>
    public long RequestsSucceeded => Interlocked.Read(ref _succeeded);

    /// <summary>Requests that failed with <see cref="UpstreamException"/>, those refused while the node was down included.</summary>
    public long RequestsFailed => Interlocked.Read(ref _failed);

    /// <summary>How many times the node was marked down after being up.</summary>
    public long MarkedDownCount => _health.MarkedDownCount;

    /// <summary>
    /// Sends <paramref name="command"/> (name first, binary-safe arguments) to the node and returns
    /// its reply; an error reply is a <see cref="RespValue"/> whose <see cref="RespValue.IsError"/>
    /// is true. The arguments are copied before this method returns.
    /// </summary>
    /// <exception cref="UpstreamException">The node is down, unreachable, or did not answer in time.</exception>
    /// <exception cref="OperationCanceledException">The caller gave up; the node's reply, if it comes, is dropped.</exception>
    /// <param name="command">The command, name first.</param>
    /// <param name="cancellationToken">Gives up waiting for the reply.</param>
    /// <param name="observer">Told of the request's outcome (the router's metrics); none by default.</param>
    public ValueTask<RespValue> SendAsync(IReadOnlyList<ReadOnlyMemory<byte>> command, CancellationToken cancellationToken = default, UpstreamRequestObserver? observer = null) =>
        SendAsync(PendingRequest.Encode(command), cancellationToken, observer);

    /// <summary>Forwards a command read by <see cref="RespCommandReader"/> as it is; it is copied before this method returns.</summary>
    /// <inheritdoc cref="SendAsync(IReadOnlyList{ReadOnlyMemory{byte}}, CancellationToken, UpstreamRequestObserver?)"/>
    public ValueTask<RespValue> SendAsync(RespCommand command, CancellationToken cancellationToken = default, UpstreamRequestObserver? observer = null) =>
        SendAsync(PendingRequest.Encode(command), cancellationToken, observer);

    /// <summary>Sends several commands as one unit on one connection, nothing else between them, and returns the array of their replies.</summary>
    /// <inheritdoc cref="SendAsync(IReadOnlyList{ReadOnlyMemory{byte}}, CancellationToken, UpstreamRequestObserver?)"/>
    public ValueTask<RespValue> SendAllAsync(IReadOnlyList<IReadOnlyList<ReadOnlyMemory<byte>>> commands, CancellationToken cancellationToken = default, UpstreamRequestObserver? observer = null) =>
        SendAsync(PendingRequest.EncodeAll(commands), cancellationToken, observer);

    /// <summary>
    /// Admits the request and hands it to a connection; it is accounted for as it ends
    /// (<see cref="PendingRequest.Track"/>), so a send to an open connection awaits nothing here.
    /// </summary>
    private ValueTask<RespValue> SendAsync(PendingRequest request, CancellationToken cancellationToken, UpstreamRequestObserver? observer)
    {
        long started = observer is null ? 0 : Stopwatch.GetTimestamp();
        if (!_health.TryAdmit(out long ticket, out string lastCause))
        {
            request.ReturnBuffer();
            Interlocked.Increment(ref _failed);
            observer?.Invoke(Name, ok: false, started);
            return ValueTask.FromException<RespValue>(UpstreamErrors.Down(Name, Address, lastCause));
        }

        request.Track(this, ticket, observer, started);
        ValueTask<UpstreamConnection> connecting = GetConnectionAsync(cancellationToken);
        return connecting.IsCompletedSuccessfully
            ? connecting.Result.SendAsync(request, cancellationToken)
            : SendWhenConnectedAsync(request, connecting, cancellationToken);
    }

    /// <summary>The rest of a send whose connection is still being opened.</summary>
    private static async ValueTask<RespValue> SendWhenConnectedAsync(PendingRequest request, ValueTask<UpstreamConnection> connecting, CancellationToken cancellationToken)
    {
        UpstreamConnection connection;
        try
        {
            connection = await connecting.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            request.ReturnBuffer();
            request.Abort(e);
            throw;
        }

        return await connection.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Accounts for a request that got its reply (an error reply included).</summary>
    internal void Replied(long ticket, UpstreamRequestObserver? observer, long started)
    {
        Interlocked.Increment(ref _succeeded);
        observer?.Invoke(Name, ok: true, started);
        if (_health.Succeeded(ticket))
        {
            Log.NodeUp(_logger, Name, Address);
        }
    }

    /// <summary>Accounts for a request that failed: the node may be marked down.</summary>
    internal void Failed(long ticket, UpstreamRequestObserver? observer, long started, UpstreamException failure)
    {
        Interlocked.Increment(ref _failed);
        observer?.Invoke(Name, ok: false, started);
        RecordFailure(ticket, failure);
    }

    /// <summary>Accounts for a request whose caller gave up: a probe it carried no longer counts.</summary>
    internal void Abandoned(long ticket) => _health.Abandoned(ticket);

    private void RecordFailure(long ticket, UpstreamException failure)
    {
        if (!_health.Failed(ticket, failure.Cause, out TimeSpan interval))
        {
            return;
        }

        if (ticket == NodeHealth.Regular)
        {
            Log.NodeMarkedDown(_logger, Name, Address, interval.TotalMilliseconds, failure.Cause);
        }
        else
        {
            Log.NodeStillDown(_logger, Name, Address, interval.TotalMilliseconds, failure.Cause);
        }
    }
}
