using System.Globalization;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text;
using KubeCache.CacheNode.Storage;
using KubeCache.Protocol;
using KubeCache.Security.Tls;
using KubeCache.Topology;

namespace KubeCache.CacheNode.Cluster;

/// <summary>
/// A RESP connection to a key's new owner that sends a batch of <c>KVHANDOFF key value expiresAt kind</c>
/// commands in one write and reads their replies. A broken connection throws; the caller retries
/// with a new sender. The connection runs the <see cref="PeerConnector"/> handshake first (TLS
/// with --peer-tls, AUTH when authentication is on), as the router's upstream connections do.
/// </summary>
internal sealed class HandoffSender : IAsyncDisposable
{
    /// <summary>How long connecting and each batch may take before the peer counts as unreachable.</summary>
    private static readonly TimeSpan Timeout = PeerClient.Timeout;

    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly PipeReader _replies;

    private HandoffSender(Socket socket, Stream stream, PipeReader replies)
    {
        _socket = socket;
        _stream = stream;
        _replies = replies;
    }

    /// <param name="nodeName">The new owner's ring name, which its TLS certificate may carry.</param>
    /// <param name="address">The new owner's ring RESP address, <c>host:port</c>.</param>
    /// <param name="peers">The TLS and AUTH steps after connecting.</param>
    /// <param name="document">The ring the keys are handed off under; the new owner must be on it too.</param>
    /// <param name="ring">Where a newer document the new owner shows is taken.</param>
    /// <param name="cancellationToken">Ends the attempt.</param>
    /// <exception cref="IOException">The new owner is on another ring (the newer one is taken here first), or the connection broke.</exception>
    public static async Task<HandoffSender> ConnectAsync(
        string nodeName, string address, PeerConnector peers, RingDocument document, NodeRing ring, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        (Socket socket, Stream stream, PipeReader replies) = await PeerClient.ConnectAsync(nodeName, address, peers, timeout.Token).ConfigureAwait(false);
        var sender = new HandoffSender(socket, stream, replies);
        try
        {
            await sender.DeclareRingAsync(document, ring, timeout.Token).ConfigureAwait(false);
            return sender;
        }
        catch
        {
            await sender.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Tells the new owner the ring the keys move under (it takes it if it is behind) and reads
    /// its own back: handed-off keys are stored only between nodes on the same ring.
    /// </summary>
    private async Task DeclareRingAsync(RingDocument document, NodeRing ring, CancellationToken cancellationToken)
    {
        var request = new ArrayBufferWriter<byte>();
        RespCommandWriter.Write(request, [RingProtocol.RingCommand, document.ToUtf8Json()]);
        RespCommandWriter.Write(request, [RingProtocol.RingCommand]);
        await _stream.WriteAsync(request.WrittenMemory, cancellationToken).ConfigureAwait(false);
        RespValue declared = await PeerClient.ReadReplyAsync(_replies, cancellationToken).ConfigureAwait(false);
        RespValue theirs = await PeerClient.ReadReplyAsync(_replies, cancellationToken).ConfigureAwait(false);
        if (declared.IsError || theirs.IsNull || theirs.IsError)
        {
            throw new IOException($"the new owner did not take the ring: {(declared.IsError ? declared : theirs).AsString()}");
        }

        RingDocument other = ParseRing(theirs);
        if (other.IsNewerThan(document))
        {
            ring.Offer(other, fromPeer: true);
            throw new IOException($"the new owner is further along (epoch {other.Epoch}{(other.Previous is null ? ", finished" : "")})");
        }
    }

    private static RingDocument ParseRing(RespValue reply)
    {
        try
        {
            return RingDocument.Parse(reply.Bytes.Span);
        }
        catch (RingFormatException e)
        {
            throw new IOException("the new owner sent a ring document that does not parse: " + e.Message, e);
        }
    }

    /// <summary>Sends the batch and returns what the new owner did with each item.</summary>
    /// <exception cref="IOException">The connection broke, or the new owner answered an error other than <c>-OOM</c>.</exception>
    public async Task<HandoffOutcome[]> SendAsync(IReadOnlyList<HandoffItem> items, CancellationToken cancellationToken)
    {
        var request = new ArrayBufferWriter<byte>();
        foreach (HandoffItem item in items)
        {
            byte[] expiry = Encoding.ASCII.GetBytes(item.ExpiresAtUnixMs.ToString(CultureInfo.InvariantCulture));
            RespCommandWriter.Write(request, "KVHANDOFF"u8, item.Key, item.Value, expiry, ValueKindNames.Of(item.Kind));
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        await _stream.WriteAsync(request.WrittenMemory, timeout.Token).ConfigureAwait(false);

        var outcomes = new HandoffOutcome[items.Count];
        int received = 0;
        while (received < outcomes.Length)
        {
            ReadResult result = await _replies.ReadAsync(timeout.Token).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            while (received < outcomes.Length && RespReplyReader.TryRead(ref buffer, out RespValue? reply) == RespReadStatus.Complete)
            {
                outcomes[received++] = Outcome(reply!);
            }

            _replies.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted && received < outcomes.Length)
            {
                throw new IOException("the new owner closed the connection during a handoff batch");
            }
        }

        return outcomes;
    }

    /// <summary>What a failed attempt says in the log and in <c>/cluster/handoff</c>'s lastError.</summary>
    public static string Describe(Exception failure) => failure is OperationCanceledException
        ? $"no answer within {Timeout.TotalSeconds:0} s"
        : failure.Message;

    private static HandoffOutcome Outcome(RespValue reply)
    {
        if (!reply.IsError)
        {
            return reply.AsInt64() == 1 ? HandoffOutcome.Stored : HandoffOutcome.Skipped;
        }

        string message = reply.AsString() ?? "";
        return message.StartsWith("OOM ", StringComparison.Ordinal)
            ? HandoffOutcome.NoRoom
            : throw new IOException($"the new owner refused a handed-off key: {message}");
    }

    public async ValueTask DisposeAsync()
    {
        await _replies.CompleteAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        _socket.Dispose();
    }
}
