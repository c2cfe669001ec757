using System.Net;
using System.Net.Sockets;

namespace KubeCache.Testing;

/// <summary>
/// A loopback TCP proxy to <c>target</c> whose subclass decides, for every read on either side of
/// a connection, how much of it passes on: all of it (at once or after a wait), or only a part,
/// after which the connection is cut (both sockets closed, so both ends see it end). A test names
/// the proxy's <see cref="Address"/> as a node's in one process's ring document (names, not
/// addresses, place keys), so only that process's traffic to the node goes through it.
/// </summary>
public abstract class LoopbackProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _sockets = [];
    private Task _accepting = Task.CompletedTask;

    protected LoopbackProxy(IPEndPoint target)
    {
        _target = target;
        _listener.Start();
    }

    /// <summary>The address to put in the ring document, <c>127.0.0.1:port</c>.</summary>
    public string Address => _listener.LocalEndpoint.ToString()!;

    /// <summary>Starts accepting; a subclass calls it once its own state is set.</summary>
    protected void Start() => _accepting = AcceptAsync();

    /// <summary>A new connection's state, given to every <see cref="PassAsync"/> of it.</summary>
    protected virtual ProxiedConnection Accepted() => new();

    /// <summary>
    /// Of <paramref name="bytes"/> just read from the client (<paramref name="reply"/> false) or the
    /// target (true), how many to pass on; fewer than <paramref name="bytes"/> cuts the connection after them.
    /// </summary>
    protected abstract ValueTask<int> PassAsync(ProxiedConnection connection, bool reply, int bytes, CancellationToken stop);

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                Socket client = await _listener.AcceptSocketAsync(_stop.Token);
                var server = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                lock (_sockets)
                {
                    _sockets.Add(client);
                    _sockets.Add(server);
                }

                try
                {
                    await server.ConnectAsync(_target, _stop.Token);
                }
                catch (SocketException)
                {
                    // The target is down (a node being replaced): the client sees its connection end.
                    client.Dispose();
                    server.Dispose();
                    continue;
                }

                ProxiedConnection connection = Accepted();
                _ = PumpAsync(server, client, connection, reply: true);
                _ = PumpAsync(client, server, connection, reply: false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task PumpAsync(Socket from, Socket to, ProxiedConnection connection, bool reply)
    {
        byte[] buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token)) > 0)
            {
                int pass = await PassAsync(connection, reply, read, _stop.Token);
                if (pass > 0)
                {
                    await to.SendAsync(buffer.AsMemory(0, pass), SocketFlags.None, _stop.Token);
                }

                if (pass < read)
                {
                    from.Dispose();
                    to.Dispose();
                    return;
                }
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
        GC.SuppressFinalize(this);
    }
}

/// <summary>One proxied connection; a subclass of <see cref="LoopbackProxy"/> keeps its own per-connection state in a subclass of this.</summary>
public class ProxiedConnection
{
}
