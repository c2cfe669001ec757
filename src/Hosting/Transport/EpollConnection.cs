using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using static KubeCache.Hosting.Transport.LinuxNative;

namespace KubeCache.Hosting.Transport;

/// <summary>
/// One TCP connection (accepted, or opened by <see cref="EpollTransportFactory.ConnectAsync"/>) on
/// an <see cref="EpollLoop"/>, as Kestrel sees a connection: an input pipe the loop fills when the
/// socket is readable (the application's reads continue inline on the loop thread) and an output
/// pipe written to the socket when the application flushes: at the end of the loop's batch of
/// events when it flushes on the loop thread, at once on any other thread. It keeps Kestrel's socket transport's rules: the input
/// completes at the client's FIN (the output stays open until the application completes it),
/// a reset is a <see cref="ConnectionResetException"/>, <see cref="ConnectionClosed"/> fires when
/// the input ends, and the socket shuts down once the output is done or the connection is aborted.
/// </summary>
internal sealed partial class EpollConnection : ConnectionContext,
    IConnectionIdFeature, IConnectionTransportFeature, IConnectionItemsFeature, IConnectionLifetimeFeature, IConnectionEndPointFeature, IMemoryPoolFeature,
    IConnectionSocketFeature, IInlineServingFeature
{
    /// <summary>The least room a read is given, as Kestrel's socket transport does: half a pool block.</summary>
    private const int MinReadBytes = 2048;

    /// <summary>Most bytes read in one go before the application gets them, so one busy client cannot hold the loop.</summary>
    internal const int MaxReadBurstBytes = 64 * 1024;

    private static long s_lastId;

    private readonly Socket _socket;
    private readonly int _fd;
    private readonly EpollLoop _loop;
    private readonly Pipe _input;
    private readonly Pipe _output;
    private readonly CancellationTokenSource _closed = new();
    private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _sending = Task.CompletedTask;
    private ConnectionAbortedException? _abortReason;
    private TaskCompletionSource? _writableWaiter;
    private MemoryHandle[]? _pins;
    private int _writableEvents;
    private int _shutdown;
    private int _closedFired;

    // True while the output pipe holds nothing unwritten (the sender waits for the next flush).
    private volatile bool _outputIdle = true;

    // Touched only on the loop thread.
    private bool _readPaused;
    private bool _readDone;
    private bool _inputEnding;

    public EpollConnection(Socket socket, EpollLoop loop, MemoryPool<byte> pool, long maxReadBufferBytes, long maxWriteBufferBytes)
    {
        _socket = socket;
        _loop = loop;
        MemoryPool = pool;
        _fd = (int)socket.Handle;
        ConnectionId = "e" + Interlocked.Increment(ref s_lastId).ToString("x", System.Globalization.CultureInfo.InvariantCulture);
        LocalEndPoint = socket.LocalEndPoint;
        RemoteEndPoint = socket.RemoteEndPoint;
        ConnectionClosed = _closed.Token;

        // The application's reads and the transport's writes continue inline, on the thread that made them ready.
        _input = new Pipe(new PipeOptions(pool, PipeScheduler.Inline, PipeScheduler.Inline, maxReadBufferBytes, maxReadBufferBytes / 2, useSynchronizationContext: false));
        _output = new Pipe(new PipeOptions(pool, PipeScheduler.Inline, PipeScheduler.Inline, maxWriteBufferBytes, maxWriteBufferBytes / 2, useSynchronizationContext: false));
        Transport = new DuplexPipe(_input.Reader, _output.Writer);
        Features = new FeatureCollection();
        Features.Set<IConnectionIdFeature>(this);
        Features.Set<IConnectionTransportFeature>(this);
        Features.Set<IConnectionItemsFeature>(this);
        Features.Set<IConnectionLifetimeFeature>(this);
        Features.Set<IConnectionEndPointFeature>(this);
        Features.Set<IMemoryPoolFeature>(this);
        Features.Set<IConnectionSocketFeature>(this);
        Features.Set<IInlineServingFeature>(this);
    }

    /// <summary>The connection's key in its loop's epoll set (generation and slot).</summary>
    public ulong Token { get; set; }

    public override string ConnectionId { get; set; }

    public override IFeatureCollection Features { get; }

    public override IDictionary<object, object?> Items { get; set; } = new ConnectionItems();

    public override IDuplexPipe Transport { get; set; }

    public override CancellationToken ConnectionClosed { get; set; }

    public override EndPoint? LocalEndPoint { get; set; }

    public override EndPoint? RemoteEndPoint { get; set; }

    public MemoryPool<byte> MemoryPool { get; }

    /// <summary>The socket, for what the pipes do not say (bytes waiting unread, options); reads and writes belong to the loop.</summary>
    public Socket Socket => _socket;

    /// <summary>Starts writing the output and joins the loop, which reads the socket from now on.</summary>
    public void Start()
    {
        _sending = SendAsync();
        _loop.Register(this, _fd);
    }

    public override void Abort(ConnectionAbortedException abortReason)
    {
        _abortReason ??= abortReason;
        _output.Reader.CancelPendingRead();

        // Shutting the socket down ends a read or a wait for room at once: the loop sees the hang-up.
        Shutdown();
    }

    public override async ValueTask DisposeAsync()
    {
        _input.Reader.Complete();
        _output.Writer.Complete();
        await _sending.ConfigureAwait(false);

        // The loop may be reading the socket now: it closes it itself, between events.
        _loop.Post(static c => ((EpollConnection)c!).Close(), this);
        await _disposed.Task.ConfigureAwait(false);
    }

    /// <summary>On the loop thread: the kernel's readiness flags for this socket.</summary>
    public void OnEvents(uint flags)
    {
        try
        {
            if ((flags & (EPOLLOUT | EPOLLERR | EPOLLHUP)) != 0)
            {
                Writable();
            }

            if ((flags & (EPOLLRDHUP | EPOLLERR | EPOLLHUP)) != 0)
            {
                // The end is in the socket behind any data: no new edge announces it, so reads go on until they find it.
                _inputEnding = true;
            }

            if ((flags & (EPOLLIN | EPOLLRDHUP | EPOLLERR | EPOLLHUP)) != 0 && !_readPaused && !_readDone)
            {
                if (_inline is not null)
                {
                    ReceiveInline();
                }
                else
                {
                    Receive();
                }
            }
        }
        catch (Exception e)
        {
            // Nothing here should throw; if it does, this connection ends and the loop serves the others.
            Abort(new ConnectionAbortedException("The transport failed: " + e.Message, e));
        }
    }

    /// <summary>On the loop thread, once the application is done with the connection: ends the input and closes the socket.</summary>
    private void Close()
    {
        if (!_readDone)
        {
            _readDone = true;
            _input.Writer.Complete(_abortReason);
        }

        _loop.Unregister(this);
        _socket.Dispose();
        FireClosed();
        _disposed.TrySetResult();
    }

    private void FireClosed()
    {
        if (Interlocked.Exchange(ref _closedFired, 1) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static c => c._closed.Cancel(), this, preferLocal: false);
        }
    }


    private void Shutdown()
    {
        if (Interlocked.Exchange(ref _shutdown, 1) != 0)
        {
            return;
        }

        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already reset or closed: nothing is left to shut.
        }

        // A write waiting for room must see the shutdown, whether or not an event follows.
        Writable();
    }
}
