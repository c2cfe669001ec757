using System.Net;
using System.Net.Sockets;

namespace KubeCache.Consistency.Tests;

/// <summary>
/// A slow link made exact: a loopback TCP proxy to <c>target</c> that holds one direction until
/// <see cref="Release"/> and passes the other at once: what its clients send (the request never
/// reaches the target), or with <c>holdReplies</c> what the target answers (the target has acted
/// on the request, and its answer is on its way). A test gives one
/// process a ring document naming the proxy as a node's address (names, not addresses, place keys),
/// so that process's traffic to the node is in flight for as long as the test wants.
/// With <c>cutFirstReply</c> nothing is held: the first bytes the target answers are dropped and
/// that connection is closed (the target has acted on the request, its client never hears), and
/// every later connection passes both ways.
/// </summary>
public sealed class HoldingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _sockets = [];
    private readonly Task _accepting;
    private readonly bool _holdReplies;
    private int _cutsLeft;
    private long _held;
    private long _cut;

    public HoldingProxy(IPEndPoint target, bool holdReplies = false, bool cutFirstReply = false)
    {
        _target = target;
        _holdReplies = holdReplies;
        _cutsLeft = cutFirstReply ? 1 : 0;
        if (cutFirstReply)
        {
            // Nothing is held in this mode.
            _released.TrySetResult();
        }

        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>The address to put in the ring document, <c>127.0.0.1:port</c>.</summary>
    public string Address => _listener.LocalEndpoint.ToString()!;

    /// <summary>Bytes of the held direction that the proxy has received (held until released).</summary>
    public long ReceivedBytes => Interlocked.Read(ref _held);

    /// <summary>Lets everything held, and everything after, through.</summary>
    public void Release() => _released.TrySetResult();

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                Socket client = await _listener.AcceptSocketAsync(_stop.Token);
                var server = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await server.ConnectAsync(_target, _stop.Token);
                lock (_sockets)
                {
                    _sockets.Add(client);
                    _sockets.Add(server);
                }

                _ = PumpAsync(server, client, hold: _holdReplies, cut: _cutsLeft > 0);
                _ = PumpAsync(client, server, hold: !_holdReplies, cut: false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Bytes the target answered that the proxy dropped by closing the connection.</summary>
    public long CutBytes => Interlocked.Read(ref _cut);

    private async Task PumpAsync(Socket from, Socket to, bool hold, bool cut)
    {
        byte[] buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token)) > 0)
            {
                if (cut && Interlocked.Exchange(ref _cutsLeft, 0) == 1)
                {
                    Interlocked.Add(ref _cut, read);
                    from.Dispose();
                    to.Dispose();
                    return;
                }

                if (hold)
                {
                    Interlocked.Add(ref _held, read);
                    await _released.Task.WaitAsync(_stop.Token);
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
            }

            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        lock (_sockets)
        {
            foreach (Socket socket in _sockets)
            {
                socket.Dispose();
            }
        }

        _stop.Dispose();
    }
}
