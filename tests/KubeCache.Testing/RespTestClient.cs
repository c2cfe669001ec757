using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using KubeCache.Protocol;

namespace KubeCache.Testing;

/// <summary>
/// A small RESP client over a real socket: commands are queued with the Protocol library's
/// <see cref="RespCommandWriter"/>, sent with <see cref="FlushAsync"/>, and replies are read
/// one at a time with <see cref="RespReplyReader"/>. Every read has a deadline, so a server
/// that never answers fails the test instead of hanging it.
/// </summary>
public sealed class RespTestClient : IAsyncDisposable
{
    /// <summary>Longest a test waits for one reply or for the server to close: generous for a loaded 2-core machine.</summary>
    public static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(30);

    private readonly TcpClient _tcp;
    private readonly Stream _stream;
    private readonly PipeReader _input;
    private readonly ArrayBufferWriter<byte> _pending = new();

    private RespTestClient(TcpClient tcp, Stream? stream = null)
    {
        _tcp = tcp;
        _stream = stream ?? tcp.GetStream();
        _input = PipeReader.Create(_stream);
    }

    /// <summary>The certificate the server presented, for a TLS connection.</summary>
    public X509Certificate? ServerCertificate => (_stream as SslStream)?.RemoteCertificate;

    /// <summary>Connects with TLS, accepting the server's certificate only when <paramref name="validation"/> does.</summary>
    public static async Task<RespTestClient> ConnectTlsAsync(IPEndPoint endPoint, RemoteCertificateValidationCallback validation, string targetHost = "localhost")
    {
        var tcp = new TcpClient { NoDelay = true };
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        await tcp.ConnectAsync(endPoint, timeout.Token);
        var ssl = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions { TargetHost = targetHost, RemoteCertificateValidationCallback = validation }, timeout.Token);
        }
        catch
        {
            await ssl.DisposeAsync();
            tcp.Dispose();
            throw;
        }

        return new RespTestClient(tcp, ssl);
    }

    /// <summary>A client on a connected socket (e.g. from <see cref="Clients.ServiceEndpoints"/>).</summary>
    public static RespTestClient Over(Socket socket) => new(new TcpClient { Client = socket });

    public static async Task<RespTestClient> ConnectAsync(IPEndPoint endPoint)
    {
        var tcp = new TcpClient { NoDelay = true };
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        await tcp.ConnectAsync(endPoint, timeout.Token);
        return new RespTestClient(tcp);
    }

    /// <summary>Queues a command whose arguments are UTF-8 text.</summary>
    public void Queue(params string[] arguments) => RespCommandWriter.Write(_pending, arguments);

    /// <summary>Queues a command whose arguments are raw bytes.</summary>
    public void Queue(params byte[][] arguments) =>
        RespCommandWriter.Write(_pending, arguments.Select(a => (ReadOnlyMemory<byte>)a).ToArray());

    /// <summary>Queues bytes as they are, for frames a well-behaved client would never send.</summary>
    public void QueueRaw(string latin1) => _pending.Write(Encoding.Latin1.GetBytes(latin1));

    public async Task FlushAsync()
    {
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        await _stream.WriteAsync(_pending.WrittenMemory, timeout.Token);
        _pending.ResetWrittenCount();
    }

    public async Task<RespValue> CallAsync(params string[] arguments)
    {
        Queue(arguments);
        await FlushAsync();
        return await ReadAsync();
    }

    public async Task<RespValue> CallAsync(params byte[][] arguments)
    {
        Queue(arguments);
        await FlushAsync();
        return await ReadAsync();
    }

    /// <summary>Reads the next reply; fails when the server closes first or sends something that is not RESP.</summary>
    public async Task<RespValue> ReadAsync()
    {
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        while (true)
        {
            ReadResult result = await _input.ReadAsync(timeout.Token);
            ReadOnlySequence<byte> buffer = result.Buffer;
            RespReadStatus status = RespReplyReader.TryRead(ref buffer, RespLimits.Default, out RespValue? value, out RespReadError error);
            if (status == RespReadStatus.Complete)
            {
                _input.AdvanceTo(buffer.Start);
                return value!;
            }

            _input.AdvanceTo(buffer.Start, buffer.End);
            Assert.True(status == RespReadStatus.Incomplete, $"The server's reply is not valid RESP: {error.Message}");
            Assert.False(result.IsCompleted, "The server closed the connection before replying.");
        }
    }

    /// <summary>
    /// Sends one command and reads its reply; null when the server closed (or reset) the
    /// connection before any byte of the reply, which a client library answers by resending the
    /// command on a new connection.
    /// </summary>
    public async Task<RespValue?> CallOrClosedAsync(params string[] arguments)
    {
        Queue(arguments);
        try
        {
            await FlushAsync();
            using var timeout = new CancellationTokenSource(ReplyTimeout);
            while (true)
            {
                ReadResult result = await _input.ReadAsync(timeout.Token);
                ReadOnlySequence<byte> buffer = result.Buffer;
                if (result.IsCompleted && buffer.IsEmpty)
                {
                    return null;
                }

                RespReadStatus status = RespReplyReader.TryRead(ref buffer, RespLimits.Default, out RespValue? value, out RespReadError error);
                if (status == RespReadStatus.Complete)
                {
                    _input.AdvanceTo(buffer.Start);
                    return value!;
                }

                _input.AdvanceTo(buffer.Start, buffer.End);
                Assert.True(status == RespReadStatus.Incomplete, $"The server's reply is not valid RESP: {error.Message}");
                Assert.False(result.IsCompleted, "The server closed the connection in the middle of a reply.");
            }
        }
        catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.Shutdown or SocketError.ConnectionAborted })
        {
            return null;
        }
    }

    /// <summary>
    /// Waits for the server to close the connection (a read returns 0 bytes). Returns false when
    /// it sends more data instead. A reset counts as closed: the server dropped the connection.
    /// </summary>
    public async Task<bool> IsClosedByServerAsync()
    {
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        try
        {
            ReadResult result = await _input.ReadAsync(timeout.Token);
            bool closed = result.IsCompleted && result.Buffer.IsEmpty;
            _input.AdvanceTo(result.Buffer.Start);
            return closed;
        }
        catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset })
        {
            return true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _input.CompleteAsync();
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }
}
