using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using KubeCache.Protocol;

namespace KubeCache.Router.Upstream;

/// <summary>
/// One pipelined RESP connection to a node, shared by any number of concurrent callers.
/// </summary>
/// <remarks>
/// A caller appends its request to the FIFO of requests awaiting replies and copies the encoded
/// command into the outgoing pipe in one step under a lock, so the FIFO's order is the order
/// the node reads them in; RESP guarantees the node answers in that order, and the read loop
/// completes the requests as replies arrive. A request to an idle connection is sent at once on
/// the caller's thread; requests made while replies are awaited gather in the pipe and the read
/// loop sends them together when the next replies arrive (see <see cref="Enqueue"/>). Inside an <see cref="UpstreamBatch"/>, the flush waits for the end of
/// the batch, so a client's pipeline reaches the node as a pipeline. Replies complete their
/// requests on the read loop's thread, so an awaiting caller continues there without a hop
/// through the thread pool.
/// When the connection fails (closed, reset, malformed reply, or a request older than
/// <see cref="UpstreamOptions.RequestTimeout"/>), every queued and awaiting request fails with
/// the same <see cref="UpstreamException"/> and the connection is dead for good.
/// </remarks>
public sealed partial class UpstreamConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly PipeReader _input;
    private readonly TimeSpan _requestTimeout;

    // Requests are copied here by their callers and sent by the send loop, which runs inline on
    // the flushing caller's thread when the socket is idle. It never pauses writers: the
    // watchdog bounds how long bytes can pile up for a node that stopped reading.
    private readonly Pipe _outgoing = new(new PipeOptions(
        readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline,
        pauseWriterThreshold: 0, resumeWriterThreshold: 0, useSynchronizationContext: false));

    // Serialises writers of _outgoing: a request's place in the FIFO and its bytes in the pipe
    // must be taken in the same order. Taken before _sync, never after it.
    private readonly Lock _writeLock = new();

    // Guards the awaiting FIFO together with _failure, so that no reply is matched once failing
    // has begun to empty the FIFO: a match after that would hand a reply to the wrong request.
    private readonly Lock _sync = new();
    private readonly Queue<PendingRequest> _awaitingReply = new();
    private readonly Timer _watchdog;
    private readonly Task _sending;
    private readonly Task _reading;
    private UpstreamException? _failure;

    // When the last request was made (Stopwatch ticks); the watchdog sends a PING when it is old.
    private long _lastRequest = Stopwatch.GetTimestamp();
    private readonly TimeSpan _keepAlive;

    // Set when requests were copied into the pipe but not sent because replies were awaited;
    // the read loop sends them when the next replies arrive.
    private bool _sendPending;

    private UpstreamConnection(string nodeName, string address, Socket socket, Stream stream, UpstreamOptions options)
    {
        NodeName = nodeName;
        Address = address;
        _socket = socket;
        _requestTimeout = options.RequestTimeout;
        _keepAlive = options.KeepAliveInterval;
        // The socket is closed by Fail, which must unblock both loops; the stream and pipe leave it alone.
        _stream = stream;
        _input = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, leaveOpen: true));
        _watchdog = new Timer(static state => ((UpstreamConnection)state!).CheckTimeout(), this, options.TimeoutCheckPeriod, options.TimeoutCheckPeriod);
        _sending = SendLoopAsync();
        _reading = ReadLoopAsync();
    }

    /// <summary>The node's name, used in every error message.</summary>
    public string NodeName { get; }

    /// <summary>The node's RESP address, <c>host:port</c>.</summary>
    public string Address { get; }

    /// <summary>False once the connection has failed or been disposed; it then never sends again.</summary>
    public bool IsAlive => Volatile.Read(ref _failure) is null;

    /// <summary>Why the connection died, or null while it is alive.</summary>
    public UpstreamException? Failure => Volatile.Read(ref _failure);

    /// <summary>
    /// Opens a connection to <paramref name="address"/> (<c>host:port</c>) with TCP_NODELAY,
    /// giving up after <see cref="UpstreamOptions.ConnectTimeout"/>.
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
        try
        {
            socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(endPoint, timeout.Token).ConfigureAwait(false);
            socket.NoDelay = true;
            Stream stream = new NetworkStream(socket, ownsSocket: false);
            if (options.Handshake is { } handshake)
            {
                stream = await handshake.HandshakeAsync(nodeName, target.Host, stream, timeout.Token).ConfigureAwait(false);
            }

            return new UpstreamConnection(nodeName, address, socket, stream, options);
        }
        catch (Exception e)
        {
            socket?.Dispose();
            cancellationToken.ThrowIfCancellationRequested();
            throw e is OperationCanceledException
                ? UpstreamErrors.ConnectTimedOut(nodeName, address, options.ConnectTimeout)
                : UpstreamErrors.ConnectFailed(nodeName, address, e);
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

    /// <summary>Fails every request still waiting with an <see cref="UpstreamException"/> and closes the socket.</summary>
    public async ValueTask DisposeAsync()
    {
        Fail(UpstreamErrors.ClosedByRouter(NodeName, Address));
        lock (_writeLock)
        {
            _outgoing.Writer.Complete();
        }

        await Task.WhenAll(_sending, _reading).ConfigureAwait(false);
    }

    /// <summary>Queues <paramref name="request"/>, which this connection then owns, and waits for its reply.</summary>
    internal ValueTask<RespValue> SendAsync(PendingRequest request, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            request.ReturnBuffer();
            return ValueTask.FromCanceled<RespValue>(cancellationToken);
        }

        if (Enqueue(request) is { } failure)
        {
            request.TrySetException(failure);
        }

        return cancellationToken.CanBeCanceled
            ? WaitCancellableAsync(request, cancellationToken)
            : new ValueTask<RespValue>(request.Task);
    }

    private static async ValueTask<RespValue> WaitCancellableAsync(PendingRequest request, CancellationToken cancellationToken)
    {
        // A cancelled request keeps its place in the FIFO; its reply is read and dropped.
        using CancellationTokenRegistration registration = cancellationToken.UnsafeRegister(
            static (state, token) => ((PendingRequest)state!).TrySetCanceled(token), request);
        return await request.Task.ConfigureAwait(false);
    }

    /// <summary>Kills the connection: the first failure wins and every request awaiting a reply gets it.</summary>
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

        // Closing the socket aborts a read or send in progress, which ends both loops; they
        // complete their own pipe ends, so nothing here may touch the pipes.
        _watchdog.Dispose();
        _socket.Dispose();
        // Failing runs the callers' continuations, which may send to other nodes; Fail can be
        // reached with _writeLock held (from the send loop), so they run on the thread pool
        // rather than under this connection's lock.
        ThreadPool.UnsafeQueueUserWorkItem(static connection => connection.FailWaiting(), this, preferLocal: false);
    }

    private void FailWaiting()
    {
        UpstreamException failure = Failure!;
        PendingRequest[] awaiting;
        lock (_sync)
        {
            awaiting = [.. _awaitingReply];
            _awaitingReply.Clear();
        }

        foreach (PendingRequest request in awaiting)
        {
            request.TrySetException(failure);
        }
    }
}
