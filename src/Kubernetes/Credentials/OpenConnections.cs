using System.Collections.Concurrent;
using System.Net.Sockets;

namespace KubeCache.Kubernetes.Credentials;

/// <summary>
/// The TCP connections a <see cref="SocketsHttpHandler"/> opens (its ConnectCallback), so they can
/// all be closed at once: the handler then opens new ones for the next requests.
/// </summary>
internal sealed class OpenConnections
{
    private readonly ConcurrentDictionary<Tracked, byte> _open = new();

    /// <summary>A <see cref="SocketsHttpHandler.ConnectCallback"/> that remembers the connection until it is disposed.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var stream = new Tracked(socket, _open);
        _open[stream] = 0;
        return stream;
    }

    /// <summary>Closes every open connection; requests in flight on them fail.</summary>
    public void CloseAll()
    {
        foreach (Tracked stream in _open.Keys)
        {
            stream.Dispose();
        }
    }

    private sealed class Tracked(Socket socket, ConcurrentDictionary<Tracked, byte> open) : NetworkStream(socket, ownsSocket: true)
    {
        protected override void Dispose(bool disposing)
        {
            open.TryRemove(this, out _);
            base.Dispose(disposing);
        }
    }
}
