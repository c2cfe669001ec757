using System.Net;
using System.Net.Sockets;
using System.Text;

namespace KubeCache.Testing;

/// <summary>
/// A bare TCP client for limit tests: it sends exactly the bytes a test gives (trickled, oversized
/// or never read) and reads what the server sends until it closes. It can connect from another
/// loopback address (127.0.0.2), so per-address limits can be told apart. Every wait has a deadline.
/// </summary>
public sealed class RawClient : IDisposable
{
    private readonly Socket _socket;

    private RawClient(Socket socket) => _socket = socket;

    /// <summary>Connects to <paramref name="server"/>, from <paramref name="from"/> (any port) when given.</summary>
    public static async Task<RawClient> ConnectAsync(IPEndPoint server, IPAddress? from = null)
    {
        var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (from is not null)
        {
            socket.Bind(new IPEndPoint(from, 0));
        }

        using var timeout = new CancellationTokenSource(RespTestClient.ReplyTimeout);
        await socket.ConnectAsync(server, timeout.Token);
        return new RawClient(socket);
    }

    /// <summary>Bytes the kernel holds for this client unread: with a client that never reads, what the server managed to send.</summary>
    public int Available => _socket.Available;

    public Task SendAsync(string latin1) => SendAsync(Encoding.Latin1.GetBytes(latin1));

    public async Task SendAsync(byte[] bytes)
    {
        using var timeout = new CancellationTokenSource(RespTestClient.ReplyTimeout);
        await _socket.SendAsync(bytes, SocketFlags.None, timeout.Token);
    }

    /// <summary>
    /// Sends <paramref name="bytes"/> one at a time, <paramref name="pause"/> apart, until all are sent
    /// or the server answers or closes the connection (an HTTP server may send 408 first; the rest of
    /// that answer is dropped). Returns how many were sent.
    /// </summary>
    public async Task<int> TrickleAsync(byte[] bytes, TimeSpan pause)
    {
        for (int i = 0; i < bytes.Length; i++)
        {
            try
            {
                await _socket.SendAsync(bytes.AsMemory(i, 1), SocketFlags.None);
            }
            catch (SocketException)
            {
                return i;
            }

            if (await AnsweredWithinAsync(pause))
            {
                return i + 1;
            }
        }

        return bytes.Length;
    }

    /// <summary>What the server sends next, empty once it has closed; fails after the reply timeout.</summary>
    public async Task<string> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(RespTestClient.ReplyTimeout);
        byte[] buffer = new byte[64 * 1024];
        int read = await _socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        return Encoding.Latin1.GetString(buffer, 0, read);
    }

    /// <summary>Reads everything the server sends until it closes (a reset counts as closed); fails after <paramref name="deadline"/>.</summary>
    public async Task<string> ReadToCloseAsync(TimeSpan? deadline = null)
    {
        using var timeout = new CancellationTokenSource(deadline ?? RespTestClient.ReplyTimeout);
        var received = new MemoryStream();
        byte[] buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await _socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"The server did not close the connection within {deadline ?? RespTestClient.ReplyTimeout}; it sent: {Encoding.Latin1.GetString(received.ToArray())}");
        }

        return Encoding.Latin1.GetString(received.ToArray());
    }

    /// <summary>True when the server sends something or closes the connection within <paramref name="wait"/>.</summary>
    private async Task<bool> AnsweredWithinAsync(TimeSpan wait)
    {
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            await _socket.ReceiveAsync(new byte[1], SocketFlags.None, timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    /// <summary>Half-closes the connection: the server reads the end of the input and may still answer.</summary>
    public void ShutdownSend() => _socket.Shutdown(SocketShutdown.Send);

    public void Dispose() => _socket.Dispose();
}
