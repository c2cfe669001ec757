using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;

namespace KubeCache.Hosting.Transport;

/// <summary>
/// Kestrel's transport on Linux: TCP connections served by <see cref="EpollLoop"/> threads of
/// this process's own (--io-threads of them, each connection on one, in turn) instead of .NET's
/// socket engine. Listening sockets, the accept, the backlog, the buffer limits and
/// <c>TCP_NODELAY</c> are Kestrel's socket transport's own (<see cref="SocketTransportOptions"/>),
/// so only the reads and writes of an open connection differ.
/// </summary>
/// <remarks>
/// It opens connections too (<see cref="ConnectAsync"/>), so a router's connections to its nodes
/// share the loop with its clients: a client's request and the node's reply are both handled
/// on the loop thread, and the writes to a node go out once per batch for every client in it.
/// </remarks>
public sealed class EpollTransportFactory : IConnectionListenerFactory, IConnectionListenerFactorySelector, IConnectionFactory, IDisposable
{
    private readonly SocketTransportOptions _options;
    private readonly int _threads;
    private readonly MemoryPool<byte> _pool;
    private readonly Lock _lock = new();
    private EpollLoop[]? _loops;
    private int _next;

    /// <param name="options">Kestrel's socket transport options, for the listening socket and the buffer limits.</param>
    /// <param name="threads">Event-loop threads (at least 1), started at the first bind.</param>
    /// <param name="pools">Kestrel's memory pools (pinned blocks), when the host has them.</param>
    public EpollTransportFactory(IOptions<SocketTransportOptions> options, int threads, IMemoryPoolFactory<byte>? pools)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        _options = options.Value;
        _threads = threads;
        _pool = pools?.Create() ?? MemoryPool<byte>.Shared;
    }

    /// <summary>Whether this machine can run the transport: Linux on x86-64 or Arm64.</summary>
    public static bool IsSupported => OperatingSystem.IsLinux() && System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture is
        System.Runtime.InteropServices.Architecture.X64 or System.Runtime.InteropServices.Architecture.Arm64;

    public bool CanBind(EndPoint endpoint) => endpoint is IPEndPoint;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        Socket listener;
        try
        {
            listener = SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new AddressInUseException(e.Message, e);
        }

        listener.Listen(_options.Backlog);
        return new(new Listener(this, listener));
    }

    /// <summary>
    /// Opens a TCP connection (with <c>TCP_NODELAY</c>) and serves it on a loop, like an accepted
    /// one. The connect itself waits on a pool thread, outside .NET's socket engine, which would
    /// otherwise watch the socket too.
    /// </summary>
    /// <exception cref="SocketException">The connection was refused or failed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired first.</exception>
    public async ValueTask<ConnectionContext> ConnectAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, Blocking = false };
        try
        {
            await Task.Run(() => Connect(socket, endpoint, cancellationToken), cancellationToken).ConfigureAwait(false);
            EpollConnection connection = new(socket, NextLoop(), _pool, _options.MaxReadBufferSize ?? 0, _options.MaxWriteBufferSize ?? 0);
            connection.Start();
            return connection;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (EpollLoop loop in _loops ?? [])
            {
                loop.Dispose();
            }

            _loops = null;
        }
    }

    /// <summary>A non-blocking connect, waited for in slices so cancellation is seen within one.</summary>
    private static void Connect(Socket socket, EndPoint endpoint, CancellationToken cancellationToken)
    {
        try
        {
            socket.Connect(endpoint);
            return;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
        {
            // Connecting: writable once it is done, either way.
        }

        while (!socket.Poll(TimeSpan.FromMilliseconds(50), SelectMode.SelectWrite))
        {
            cancellationToken.ThrowIfCancellationRequested();
        }

        if (socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error) is int error and not 0)
        {
            throw new SocketException(error);
        }
    }

    private EpollLoop NextLoop()
    {
        EpollLoop[] loops = Volatile.Read(ref _loops) ?? StartLoops();
        return loops[(uint)Interlocked.Increment(ref _next) % (uint)loops.Length];
    }

    private EpollLoop[] StartLoops()
    {
        lock (_lock)
        {
            if (_loops is null)
            {
                EpollLoop[] loops = new EpollLoop[_threads];
                for (int i = 0; i < loops.Length; i++)
                {
                    loops[i] = new EpollLoop($"kubecache-io-{i}");
                }

                Volatile.Write(ref _loops, loops);
            }

            return _loops;
        }
    }

    private sealed class Listener(EpollTransportFactory factory, Socket socket) : IConnectionListener
    {
        public EndPoint EndPoint { get; } = socket.LocalEndPoint!;

        public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            while (true)
            {
                Socket accepted;
                try
                {
                    accepted = await socket.AcceptAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is ObjectDisposedException or OperationCanceledException
                    || (e is SocketException s && s.SocketErrorCode is SocketError.OperationAborted or SocketError.Interrupted or SocketError.InvalidArgument))
                {
                    // Unbound: Kestrel stops accepting.
                    return null;
                }
                catch (SocketException)
                {
                    // The client went away before its connection was accepted (a reset in the queue): take the next.
                    continue;
                }

                try
                {
                    accepted.NoDelay = factory._options.NoDelay;
                    accepted.Blocking = false;
                    EpollConnection connection = new(
                        accepted, factory.NextLoop(), factory._pool, factory._options.MaxReadBufferSize ?? 0, factory._options.MaxWriteBufferSize ?? 0);
                    connection.Start();
                    return connection;
                }
                catch (SocketException)
                {
                    accepted.Dispose();
                }
            }
        }

        public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
        {
            socket.Dispose();
            return default;
        }

        public ValueTask DisposeAsync()
        {
            socket.Dispose();
            return default;
        }
    }
}
