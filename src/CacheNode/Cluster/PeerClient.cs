using System.Globalization;
using System.IO.Pipelines;
using System.Net.Sockets;
using KubeCache.Protocol;
using KubeCache.Security.Tls;

namespace KubeCache.CacheNode.Cluster;

/// <summary>
/// A RESP connection from this node to another member, for the commands nodes send each other
/// one at a time (<c>KVTAKE</c>, <c>KVRING</c>). Opened on first use and again after a failure,
/// with the <see cref="PeerConnector"/> handshake (TLS with --peer-tls, AUTH when authentication
/// is on); calls are serialised. Thread-safe.
/// </summary>
internal sealed class PeerClient(string nodeName, string address, PeerConnector peers) : IAsyncDisposable
{
    /// <summary>How long connecting, and each call, may take before the peer counts as unreachable.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _one = new(1, 1);
    private (Socket Socket, Stream Stream, PipeReader Replies)? _connection;

    public string NodeName => nodeName;

    public string Address => address;

    /// <summary>Sends one command and returns its reply; a broken connection throws <see cref="IOException"/> and is reopened next time.</summary>
    public async Task<RespValue> CallAsync(IReadOnlyList<ReadOnlyMemory<byte>> command, CancellationToken cancellationToken)
    {
        await _one.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            try
            {
                if (_connection is { } open && ClosedByPeer(open.Socket))
                {
                    await CloseAsync().ConfigureAwait(false);
                }

                _connection ??= await ConnectAsync(nodeName, address, peers, timeout.Token).ConfigureAwait(false);
                var request = new ArrayBufferWriter<byte>();
                RespCommandWriter.Write(request, command);
                await _connection.Value.Stream.WriteAsync(request.WrittenMemory, timeout.Token).ConfigureAwait(false);
                return await ReadReplyAsync(_connection.Value.Replies, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or System.Security.Authentication.AuthenticationException
                && !cancellationToken.IsCancellationRequested)
            {
                await CloseAsync().ConfigureAwait(false);
                throw new IOException(e is OperationCanceledException ? $"no answer within {Timeout.TotalSeconds:0} s" : e.Message, e);
            }
            catch (IOException)
            {
                await CloseAsync().ConfigureAwait(false);
                throw;
            }
        }
        finally
        {
            _one.Release();
        }
    }

    /// <summary>Reads one reply; a connection closed before it throws <see cref="IOException"/>.</summary>
    public static async Task<RespValue> ReadReplyAsync(PipeReader replies, CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadResult result = await replies.ReadAsync(cancellationToken).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            if (RespReplyReader.TryRead(ref buffer, out RespValue? reply) == RespReadStatus.Complete)
            {
                replies.AdvanceTo(buffer.Start);
                return reply!;
            }

            replies.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                throw new IOException("the peer closed the connection");
            }
        }
    }

    /// <summary>Connects to a member's ring RESP address and runs the peer handshake; the caller owns what it gets.</summary>
    public static async Task<(Socket Socket, Stream Stream, PipeReader Replies)> ConnectAsync(
        string nodeName, string address, PeerConnector peers, CancellationToken cancellationToken)
    {
        (string host, int port) = SplitAddress(peers.Target(address));
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
            Stream stream = await peers.HandshakeAsync(new NetworkStream(socket, ownsSocket: true), host, nodeName, cancellationToken).ConfigureAwait(false);
            return (socket, stream, PipeReader.Create(stream));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Whether the peer closed the connection while it sat idle between two rebalances (its
    /// --idle-timeout, or a restart). Replies are read in full and peers send nothing unasked,
    /// so a connection between calls that has something to read is closed; it is opened again
    /// before the call instead of failing it.
    /// </summary>
    private static bool ClosedByPeer(Socket socket) => socket.Poll(0, SelectMode.SelectRead);

    private async Task CloseAsync()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            await connection.Replies.CompleteAsync().ConfigureAwait(false);
            await connection.Stream.DisposeAsync().ConfigureAwait(false);
            connection.Socket.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _one.WaitAsync().ConfigureAwait(false);
        try
        {
            await CloseAsync().ConfigureAwait(false);
        }
        finally
        {
            _one.Release();
        }
    }

    private static (string Host, int Port) SplitAddress(string address)
    {
        int colon = address.LastIndexOf(':');
        return colon > 0 && int.TryParse(address.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port)
            ? (address[..colon].Trim('[', ']'), port)
            : throw new FormatException($"'{address}' is not host:port");
    }
}
