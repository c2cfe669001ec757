using KubeCache.Background;
using Microsoft.AspNetCore.Connections;

namespace KubeCache.Router.Upstream;

/// <summary>
/// Limits of the router's connections to cache nodes. Each setting is checked when it is set,
/// and <see cref="Validate"/> (called by <see cref="UpstreamPool"/> and <see cref="NodeClient"/>)
/// checks the settings that depend on each other; every message names the setting.
/// </summary>
public sealed class UpstreamOptions
{
    /// <summary>
    /// Default <see cref="ConnectionsPerNode"/>: 2. One pipelined connection carries hundreds of
    /// thousands of requests a second, and the fewer connections a node's requests share, the
    /// fewer writes carry them; a second connection takes the other requests while the first
    /// carries a large value, and more only add sockets on the node.
    /// </summary>
    public const int DefaultConnectionsPerNode = 2;

    /// <summary>
    /// Default <see cref="ConnectTimeout"/>: 500 ms. A node on the cluster network accepts within
    /// a millisecond, so half a second allows for a busy node without letting a dead one hold callers.
    /// </summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Default <see cref="RequestTimeout"/>: 1 s. A node answers in microseconds; a second means it
    /// is stopped or swamped, and a caller must get an answer long before a client gives up.
    /// </summary>
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Default <see cref="MarkDownInterval"/>: 100 ms. Long enough that a dead node costs one
    /// probe rather than one failed request per caller, short enough to miss little of a restart.
    /// </summary>
    public static readonly TimeSpan DefaultMarkDownInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Default <see cref="MaxMarkDownInterval"/>: 5 s. A node that stays down is probed every
    /// five seconds at most, so it is back in use within five seconds of recovering.
    /// </summary>
    public static readonly TimeSpan DefaultMaxMarkDownInterval = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Default <see cref="KeepAliveInterval"/>: 60 s. A node closes a RESP connection idle for its
    /// --idle-timeout (default 300 s); a PING well inside that keeps the pooled connections open,
    /// so a request never lands on a connection the node has just closed.
    /// </summary>
    public static readonly TimeSpan DefaultKeepAliveInterval = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(10);

    /// <summary>What runs on each new connection before it carries requests (TLS, AUTH); null (default) = nothing.</summary>
    public IUpstreamHandshake? Handshake { get; init; }

    /// <summary>
    /// Opens the connections to nodes on the process's event loops (the Kestrel transport that
    /// serves its clients), when there is no <see cref="Handshake"/>; null (default) uses .NET's sockets.
    /// </summary>
    public IConnectionFactory? Connections { get; init; }

    /// <summary>Where a connection's failing watchdog check is reported; nowhere by default.</summary>
    public BackgroundErrors Errors { get; init; } = BackgroundErrors.Unobserved;

    /// <summary>
    /// Connections to each node, at most. Requests share the first; the next is opened and used
    /// while those before it carry a large value (<see cref="UpstreamConnection.CarriesLargeTransfer"/>).
    /// Default 2; between 1 and 64.
    /// </summary>
    public int ConnectionsPerNode
    {
        get;
        init => field = value is >= 1 and <= 64
            ? value
            : ThrowHelper.ThrowOption<int>(nameof(ConnectionsPerNode), $"must be between 1 and 64 connections; got {value}");
    } = DefaultConnectionsPerNode;

    /// <summary>Longest wait for a TCP connection to a node. Default 500 ms; between 1 ms and 10 minutes.</summary>
    public TimeSpan ConnectTimeout
    {
        get;
        init => field = CheckDuration(value, nameof(ConnectTimeout));
    } = DefaultConnectTimeout;

    /// <summary>
    /// Longest a node may stay silent while it owes a reply: counted from when the oldest
    /// unanswered request on a connection was sent (or its last piece taken, for a large
    /// request) or from the last bytes that arrived, whichever is later. When it passes, the
    /// connection's requests fail and it is closed, since its later replies would be out of
    /// order. A large reply that keeps arriving is progress, however long it takes in all.
    /// Checked every tenth of the timeout (at least 5 ms, at most 100 ms apart), so a request fails
    /// at most that much later. Default 1 s; between 1 ms and 10 minutes.
    /// </summary>
    public TimeSpan RequestTimeout
    {
        get;
        init => field = CheckDuration(value, nameof(RequestTimeout));
    } = DefaultRequestTimeout;

    /// <summary>
    /// How long a failing node is first marked down, during which its requests fail at once; the
    /// interval doubles with each failed probe up to <see cref="MaxMarkDownInterval"/> and starts
    /// over once the node answers. Default 100 ms; between 1 ms and 10 minutes.
    /// </summary>
    public TimeSpan MarkDownInterval
    {
        get;
        init => field = CheckDuration(value, nameof(MarkDownInterval));
    } = DefaultMarkDownInterval;

    /// <summary>Longest mark-down interval. Default 5 s; between <see cref="MarkDownInterval"/> and 10 minutes.</summary>
    public TimeSpan MaxMarkDownInterval
    {
        get;
        init => field = CheckDuration(value, nameof(MaxMarkDownInterval));
    } = DefaultMaxMarkDownInterval;

    /// <summary>
    /// How long a connection may go without a request before it sends a PING, whose reply is
    /// dropped. Default 60 s; between 1 ms and 10 minutes; keep it below the nodes' --idle-timeout.
    /// </summary>
    public TimeSpan KeepAliveInterval
    {
        get;
        init => field = CheckDuration(value, nameof(KeepAliveInterval));
    } = DefaultKeepAliveInterval;

    /// <summary>How often each connection looks for a node silent for longer than <see cref="RequestTimeout"/>.</summary>
    internal TimeSpan TimeoutCheckPeriod =>
        TimeSpan.FromTicks(Math.Clamp(RequestTimeout.Ticks / 10, TimeSpan.TicksPerMillisecond * 5, TimeSpan.TicksPerMillisecond * 100));

    /// <summary>Checks the settings that depend on each other.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it.</exception>
    public void Validate()
    {
        if (MaxMarkDownInterval < MarkDownInterval)
        {
            ThrowHelper.ThrowOption<int>(
                nameof(MaxMarkDownInterval),
                $"must be at least MarkDownInterval ({MarkDownInterval.TotalMilliseconds} ms); got {MaxMarkDownInterval.TotalMilliseconds} ms");
        }
    }

    private static TimeSpan CheckDuration(TimeSpan value, string setting) =>
        value >= TimeSpan.FromMilliseconds(1) && value <= MaxTimeout
            ? value
            : ThrowHelper.ThrowOption<TimeSpan>(setting, $"must be between 1 ms and 10 minutes; got {value.TotalMilliseconds} ms");
}
