using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace KubeCache.Fuzz.Tests.Targets;

/// <summary>What a server answered: status, the headers that matter here, and the body.</summary>
public sealed record RawHttpResponse(int Status, string? ContentType, byte[] Body);

/// <summary>
/// HTTP/1.1 over a raw socket, so a request line can carry bytes <see cref="HttpClient"/> would
/// refuse to send. Keeps the connection alive until the server closes it, then reconnects.
/// Responses must carry Content-Length (the node's always do), or end when the server closes.
/// </summary>
public sealed class RawHttpClient(IPEndPoint endPoint) : IAsyncDisposable
{
    private TcpClient? _tcp;
    private NetworkStream? _stream;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    public async Task<RawHttpResponse> SendAsync(byte[] request, CancellationToken cancel)
    {
        if (_stream is null)
        {
            _tcp = new TcpClient { NoDelay = true };
            await _tcp.ConnectAsync(endPoint, cancel).ConfigureAwait(false);
            _stream = _tcp.GetStream();
            (_start, _end) = (0, 0);
        }

        await _stream.WriteAsync(request, cancel).ConfigureAwait(false);
        int headerEnd;
        while ((headerEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (!await FillAsync(cancel).ConfigureAwait(false))
            {
                throw new IOException("The server closed the connection before answering.");
            }
        }

        string[] head = Encoding.Latin1.GetString(_buffer, _start, headerEnd).Split("\r\n");
        _start += headerEnd + 4;
        int status = int.Parse(head[0].Split(' ')[1], CultureInfo.InvariantCulture);
        string? Header(string name) => head.Skip(1).Select(h => h.Split(':', 2))
            .Where(h => h[0].Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h[1].Trim()).FirstOrDefault();
        bool close = string.Equals(Header("Connection"), "close", StringComparison.OrdinalIgnoreCase);
        long? length = Header("Content-Length") is { } text ? long.Parse(text, CultureInfo.InvariantCulture) : null;
        if (length is { } expected)
        {
            while (_end - _start < expected)
            {
                if (!await FillAsync(cancel).ConfigureAwait(false))
                {
                    throw new IOException("The server closed the connection in the middle of a body.");
                }
            }
        }
        else
        {
            while (await FillAsync(cancel).ConfigureAwait(false))
            {
            }
        }

        int bodyLength = (int)(length ?? (_end - _start));
        byte[] body = _buffer.AsSpan(_start, bodyLength).ToArray();
        _start += bodyLength;
        if (close || length is null)
        {
            await DisconnectAsync().ConfigureAwait(false);
        }

        return new RawHttpResponse(status, Header("Content-Type"), body);
    }

    /// <summary>
    /// Sends <paramref name="request"/> on a connection of its own, closed afterwards: for bytes
    /// that may hold a second request, whose answer must not be taken for the next one's.
    /// </summary>
    public async Task<RawHttpResponse> SendAloneAsync(byte[] request, CancellationToken cancel)
    {
        await DisconnectAsync().ConfigureAwait(false);
        try
        {
            return await SendAsync(request, cancel).ConfigureAwait(false);
        }
        finally
        {
            await DisconnectAsync().ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync() => DisconnectAsync();

    private async Task<bool> FillAsync(CancellationToken cancel)
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            (_start, _end) = (0, _end - _start);
        }

        if (_end == _buffer.Length)
        {
            throw new IOException("The response is larger than the client's buffer.");
        }

        int read = await _stream!.ReadAsync(_buffer.AsMemory(_end), cancel).ConfigureAwait(false);
        _end += read;
        return read > 0;
    }

    private async ValueTask DisconnectAsync()
    {
        if (_stream is not null)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }

        _tcp?.Dispose();
        (_stream, _tcp) = (null, null);
    }
}
