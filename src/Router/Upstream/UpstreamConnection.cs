using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using KubeCache.Background;
using KubeCache.Hosting.Transport;
using KubeCache.Protocol;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace KubeCache.Router.Upstream;

/// <summary>
/// One pipelined RESP connection to a node, shared by any number of concurrent callers.
/// </summary>
/// <remarks>
/// Callers encode their command on their own thread and queue it; one write loop copies whatever
/// is queued into the socket's pipe and flushes once the queue is empty, so requests that arrive
/// together leave in one write. The write loop also appends each request to a FIFO of requests
/// awaiting replies, before its bytes can reach the node, and the read loop completes them in
/// that order as replies arrive; RESP guarantees a node answers in the order it was asked.
/// When the connection fails (closed, reset, malformed reply, or the node silent for
/// <see cref="UpstreamOptions.RequestTimeout"/> while a reply is owed), every queued and
/// awaiting request fails with the same <see cref="UpstreamException"/> and the connection is
/// dead for good.
/// </remarks>
public sealed partial class UpstreamConnection : IAsyncDisposable
{
    // A long burst is flushed in pieces of about this many bytes, so the node starts answering
    // before the whole burst is copied.
    private const int FlushThresholdBytes = 64 * 1024;

    /// <summary>
    /// The size of a large value, in a request or in a reply arriving, for
    /// <see cref="CarriesLargeTransfer"/>: 64 KiB, a thousand times a typical command, and the
    /// size at which writes go out in pieces.
    /// </summary>
    public const int LargeTransferBytes = FlushThresholdBytes;

    private readonly Socket _socket;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly TimeSpan _requestTimeout;
    private readonly Channel<PendingRequest> _outbox;

    // The connection on the process's event loop (UpstreamOptions.Connections), or null on .NET's sockets.
    private readonly ConnectionContext? _transport;
    private readonly Task _transportClosed = Task.CompletedTask;

    // Guards the awaiting FIFO together with _failure, so that no reply is matched once failing
    // has begun to empty the FIFO: a match after that would hand a reply to the wrong request.
    private readonly Lock _sync = new();
    private readonly Queue<PendingRequest> _awaitingReply = new();
    private readonly Timer _watchdog;
    private readonly Task _writing;
    private readonly Task _reading;
    private UpstreamException? _failure;

    // Requests in the outbox: counted here because only the write loop may read the channel
    // (peeking it from another thread races the single reader).
    private int _queued;

    // Requests of LargeTransferBytes or more queued or sent here and not yet answered, and the
    // bytes of the reply the read loop has partly received (CarriesLargeTransfer).
    private int _largeRequestsOwed;
    private long _replyBytesArrived;

    // When the last request was written (Stopwatch ticks); the watchdog sends a PING when it is old.
    private long _lastRequest = Stopwatch.GetTimestamp();

    // When bytes last arrived from the node (Stopwatch ticks): a reply in progress is progress.
    private long _lastReceived;
    private readonly TimeSpan _keepAlive;
    private readonly BackgroundErrors _errors;

    /// <summary>A connection on .NET's sockets, through <paramref name="stream"/> (the socket's, or TLS over it).</summary>
    private UpstreamConnection(string nodeName, string address, Socket socket, Stream stream, UpstreamOptions options)
        : this(
            nodeName,
            address,
            socket,
            // The socket is closed by Fail, which must unblock both loops; the pipes leave it alone.
            new DuplexPipe(PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, leaveOpen: true)), PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true))),
            transport: null,
            options)
    {
    }

    /// <summary>A connection over <paramref name="pipes"/>: the event loop's (when <paramref name="transport"/> is its connection) or the stream's.</summary>
    private UpstreamConnection(string nodeName, string address, Socket socket, IDuplexPipe pipes, ConnectionContext? transport, UpstreamOptions options)
    {
        NodeName = nodeName;
        Address = address;
        _socket = socket;
        _transport = transport;
        _requestTimeout = options.RequestTimeout;
        _keepAlive = options.KeepAliveInterval;
        _input = pipes.Input;
        _output = pipes.Output;
        _errors = options.Errors;

        // On the event loop, the write loop runs on the thread that queues a request (the loop's,
        // for a client's command) and only fills the transport's pipe: the loop writes the socket
        // once per batch of events, for every request queued in it. On .NET's sockets a flush is a
        // send, so the loop runs on the thread pool and batches what queues meanwhile.
        _outbox = Channel.CreateUnbounded<PendingRequest>(new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = transport is not null });
        _watchdog = new Timer(static state => ((UpstreamConnection)state!).Watch(), this, options.TimeoutCheckPeriod, options.TimeoutCheckPeriod);
        _writing = WriteLoopAsync();
        _reading = ReadLoopAsync();
        if (transport is not null)
        {
            _transportClosed = CloseTransportAsync(transport);
        }
    }

    /// <summary>The node's name, used in every error message.</summary>
    public string NodeName { get; }

    /// <summary>The node's RESP address, <c>host:port</c>.</summary>
    public string Address { get; }

    /// <summary>False once the connection has failed or been disposed; it then never sends again.</summary>
    public bool IsAlive => Volatile.Read(ref _failure) is null;

    /// <summary>True when no request is queued here or waiting for its reply, or the connection has died.</summary>
    public bool Idle
    {
        get
        {
            lock (_sync)
            {
                return _failure is not null || (_awaitingReply.Count == 0 && Volatile.Read(ref _queued) == 0);
            }
        }
    }

    /// <summary>
    /// True while a request of <see cref="LargeTransferBytes"/> or more is queued or sent here and
    /// not yet answered, or that much of a reply has arrived and not all of it: a large value is on
    /// its way, and anything sent now waits behind it. <see cref="NodeClient"/> then uses another
    /// connection to the node.
    /// </summary>
    public bool CarriesLargeTransfer =>
        Volatile.Read(ref _largeRequestsOwed) > 0 || Volatile.Read(ref _replyBytesArrived) >= LargeTransferBytes;

    /// <summary>Why the connection died, or null while it is alive.</summary>
    public UpstreamException? Failure => Volatile.Read(ref _failure);

    /// <summary>
    /// Opens a connection to <paramref name="address"/> (<c>host:port</c>) with TCP_NODELAY,
    /// giving up after <see cref="UpstreamOptions.ConnectTimeout"/>. The handshake after it (TLS,
    /// AUTH) is an exchange with the node like a request, so it gets
    /// <see cref="UpstreamOptions.RequestTimeout"/>: a TLS handshake with a busy node outlasts a
    /// TCP connect, which only a dead node makes slow.
    /// </summary>
    /// <exception cref="UpstreamException">The connection was refused or timed out, or the host is unknown.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async ValueTask<UpstreamConnection> ConnectAsync(
        string nodeName, string address, UpstreamOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        NodeAddress target = NodeAddress.Parse(options.Handshake?.Target(address) ?? address, nameof(address));
        EndPoint endPoint = target.EndPoint;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        Socket? socket = null;
        bool handshaking = false;
        try
        {
            if (options.Connections is { } connections && options.Handshake is null)
            {
                ConnectionContext transport = await connections.ConnectAsync(endPoint, timeout.Token).ConfigureAwait(false);
                Socket connected = transport.Features.Get<IConnectionSocketFeature>()?.Socket
                    ?? throw new InvalidOperationException("The upstream transport's connections must expose their socket (IConnectionSocketFeature).");
                return new UpstreamConnection(nodeName, address, connected, transport.Transport, transport, options);
            }

            socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(endPoint, timeout.Token).ConfigureAwait(false);
            socket.NoDelay = true;
            Stream stream = new NetworkStream(socket, ownsSocket: false);
            if (options.Handshake is { } handshake)
            {
                timeout.CancelAfter(options.RequestTimeout);
                handshaking = true;
                stream = await handshake.HandshakeAsync(nodeName, target.Host, stream, timeout.Token).ConfigureAwait(false);
            }

            return new UpstreamConnection(nodeName, address, socket, stream, options);
        }
        catch (Exception e)
        {
            socket?.Dispose();
            cancellationToken.ThrowIfCancellationRequested();
            throw e is not OperationCanceledException ? UpstreamErrors.ConnectFailed(nodeName, address, e)
                : handshaking ? UpstreamErrors.HandshakeTimedOut(nodeName, address, options.RequestTimeout)
                : UpstreamErrors.ConnectTimedOut(nodeName, address, options.ConnectTimeout);
        }
    }

    /// <summary>
    /// Sends <paramref name="command"/> (name first, binary-safe arguments) and returns the node's
    /// reply; an error reply is a <see cref="RespValue"/> whose <see cref="RespValue.IsError"/> is
    /// true. The arguments are copied before this method returns.
    /// </summary>
    /// <exception cref="UpstreamException">The connection failed before the reply arrived.</exception>
    /// <exception cref="OperationCanceledException">The caller gave up; the reply, when it comes, is dropped.</exception>
    public ValueTask<RespValue> SendAsync(IReadOnlyList<ReadOnlyMemory<byte>> command, CancellationToken cancellationToken = default) =>
        SendAsync(PendingRequest.Encode(command), cancellationToken);

    /// <summary>Forwards a command read by <see cref="RespCommandReader"/> as it is; it is copied before this method returns.</summary>
    /// <inheritdoc cref="SendAsync(IReadOnlyList{ReadOnlyMemory{byte}}, CancellationToken)"/>
    public ValueTask<RespValue> SendAsync(RespCommand command, CancellationToken cancellationToken = default) =>
        SendAsync(PendingRequest.Encode(command), cancellationToken);

    /// <summary>Sends several commands as one unit (see <see cref="PendingRequest.EncodeAll"/>) and returns the array of their replies.</summary>
    /// <inheritdoc cref="SendAsync(IReadOnlyList{ReadOnlyMemory{byte}}, CancellationToken)"/>
    public ValueTask<RespValue> SendAllAsync(IReadOnlyList<IReadOnlyList<ReadOnlyMemory<byte>>> commands, CancellationToken cancellationToken = default) =>
        SendAsync(PendingRequest.EncodeAll(commands), cancellationToken);

    /// <summary>Fails every request still waiting with an <see cref="UpstreamException"/> and closes the socket.</summary>
    public async ValueTask DisposeAsync()
    {
        Fail(UpstreamErrors.ClosedByRouter(NodeName, Address));
        await Task.WhenAll(_writing, _reading, _transportClosed).ConfigureAwait(false);
    }

    /// <summary>Queues <paramref name="request"/>, which this connection then owns, and waits for its reply.</summary>
    internal ValueTask<RespValue> SendAsync(PendingRequest request, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            request.ReturnBuffer();
            request.Cancel(cancellationToken);
            return ValueTask.FromCanceled<RespValue>(cancellationToken);
        }

        Interlocked.Increment(ref _queued);
        CountLarge(request, 1);
        if (!_outbox.Writer.TryWrite(request))
        {
            Interlocked.Decrement(ref _queued);
            CountLarge(request, -1);
            request.ReturnBuffer();
            request.Fail(Failure!);
        }

        return cancellationToken.CanBeCanceled
            ? WaitCancellableAsync(request, cancellationToken)
            : new ValueTask<RespValue>(request.Task);
    }

    /// <summary>Counts a large request in (+1) as it is queued, or out (-1) once answered or dropped.</summary>
    private void CountLarge(PendingRequest request, int change)
    {
        if (request.Length >= LargeTransferBytes)
        {
            Interlocked.Add(ref _largeRequestsOwed, change);
        }
    }

    private static async ValueTask<RespValue> WaitCancellableAsync(PendingRequest request, CancellationToken cancellationToken)
    {
        // A cancelled request keeps its place in the FIFO; its reply is read and dropped.
        using CancellationTokenRegistration registration = cancellationToken.UnsafeRegister(
            static (state, token) => ((PendingRequest)state!).Cancel(token), request);
        return await request.Task.ConfigureAwait(false);
    }

    /// <summary>Kills the connection: the first failure wins and every request still queued or awaiting gets it.</summary>
    private void Fail(UpstreamException failure)
    {
        lock (_sync)
        {
            if (_failure is not null)
            {
                return;
            }

            Volatile.Write(ref _failure, failure);
        }

        // Closing the socket aborts a read or write in progress, which ends both loops; they
        // complete their own pipe ends, so nothing here may touch the pipes, and the write loop
        // fails the requests still queued, being the outbox's only reader.
        _outbox.Writer.TryComplete();
        _watchdog.Dispose();
        if (_transport is not null)
        {
            // Shuts the socket down; the loop closes it once both loops are done with the pipes.
            _transport.Abort(new ConnectionAbortedException(failure.Message));
        }
        else
        {
            _socket.Dispose();
        }

        FailWaiting();
    }

    /// <summary>Closes the event loop's connection once the read and write loops have let go of its pipes.</summary>
    private async Task CloseTransportAsync(ConnectionContext transport)
    {
        await Task.WhenAll(_writing, _reading).ConfigureAwait(false);
        await transport.DisposeAsync().ConfigureAwait(false);
    }

    private void FailWaiting()
    {
        PendingRequest[] awaiting;
        lock (_sync)
        {
            awaiting = [.. _awaitingReply];
            _awaitingReply.Clear();
        }

        foreach (PendingRequest request in awaiting)
        {
            request.Fail(Failure!);
        }
    }
}
