using System.Buffers;
using System.Diagnostics;
using KubeCache.Protocol;

namespace KubeCache.Router.Upstream;

/// <summary>
/// One request on its way to a node: the command, already encoded as RESP into a pooled buffer,
/// and the completion its caller awaits. Encoding happens on the caller's thread when the request
/// is made, so the caller's argument memory is free again as soon as the send call returns.
/// </summary>
/// <remarks>
/// Whoever holds the request returns its buffer: the <see cref="NodeClient"/> until it hands the
/// request to a connection, then the connection (after copying it into the socket's pipe, or when
/// failing it). Continuations run synchronously: the read loop that completes a reply goes on to
/// write it to the caller's client, on the same thread, instead of waking another thread to do it
/// (a thread hop per reply is most of what a forwarded command costs on a busy machine). Callers
/// never block, so the read loop is held only for the CPU work of its replies.
/// </remarks>
internal sealed class PendingRequest : TaskCompletionSource<RespValue>
{
    private byte[]? _buffer;
    private long _sent;
    private readonly RespValue[]? _replies;
    private int _gathered;

    // Whose request it is, told once how it ended before its task completes (a connection's own
    // requests, such as its keep-alive PING, have none): NodeClient's counts, the node's health
    // and the observer, so that a send needs no await of its own to keep them.
    private NodeClient? _client;
    private long _ticket;
    private UpstreamRequestObserver? _observer;
    private long _started;
    private int _ended;

    private PendingRequest(byte[] buffer, int length, int replies = 1)
    {
        _buffer = buffer;
        Length = length;
        _replies = replies > 1 ? new RespValue[replies] : null;
    }

    /// <summary>
    /// When the connection last moved this request on (<see cref="Stopwatch"/> ticks): took it
    /// into the awaiting FIFO, or saw the node take another piece of a large request. The node's
    /// silence on it counts from here; zero until then.
    /// </summary>
    public long SentTimestamp => Volatile.Read(ref _sent);

    /// <summary>Makes the request <paramref name="client"/>'s, admitted with <paramref name="ticket"/>, to be accounted for as it ends.</summary>
    public void Track(NodeClient client, long ticket, UpstreamRequestObserver? observer, long started)
    {
        _client = client;
        _ticket = ticket;
        _observer = observer;
        _started = started;
    }

    /// <summary>Completes the request with the node's reply, unless it has ended already (its caller gave up).</summary>
    public void Reply(RespValue reply)
    {
        if (End())
        {
            _client?.Replied(_ticket, _observer, _started);
            TrySetResult(reply);
        }
    }

    /// <summary>Fails the request, unless it has ended already.</summary>
    public void Fail(UpstreamException failure)
    {
        if (End())
        {
            _client?.Failed(_ticket, _observer, _started, failure);
            TrySetException(failure);
        }
    }

    /// <summary>Cancels the request for a caller that gave up, unless it has ended already; a reply that comes later is dropped.</summary>
    public void Cancel(CancellationToken cancellationToken)
    {
        if (End())
        {
            _client?.Abandoned(_ticket);
            TrySetCanceled(cancellationToken);
        }
    }

    /// <summary>Accounts for a request that never reached a connection (opening one failed, or the caller gave up meanwhile); its task is left alone, as nobody awaits it.</summary>
    public void Abort(Exception reason)
    {
        if (End())
        {
            if (reason is UpstreamException failure)
            {
                _client?.Failed(_ticket, _observer, _started, failure);
            }
            else
            {
                _client?.Abandoned(_ticket);
            }
        }
    }

    private bool End() => Interlocked.Exchange(ref _ended, 1) == 0;

    /// <summary>Records that the request moved on now; see <see cref="SentTimestamp"/>.</summary>
    public void MarkSent() => Volatile.Write(ref _sent, Stopwatch.GetTimestamp());

    /// <summary>Bytes of the encoded command.</summary>
    public int Length { get; }

    /// <exception cref="ArgumentException"><paramref name="command"/> is empty.</exception>
    public static PendingRequest Encode(IReadOnlyList<ReadOnlyMemory<byte>> command)
    {
        PooledBufferWriter writer = PooledBufferWriter.Rent(EstimateBytes(command));
        try
        {
            RespCommandWriter.Write(writer, command);
            return new PendingRequest(writer.Detach(out int length), length);
        }
        finally
        {
            writer.Abandon();
        }
    }

    /// <summary>
    /// Several commands written back to back as one request, so no other request on the connection
    /// comes between them (a MULTI … EXEC unit); it completes with an array of their replies.
    /// </summary>
    /// <exception cref="ArgumentException">A command is empty.</exception>
    public static PendingRequest EncodeAll(IReadOnlyList<IReadOnlyList<ReadOnlyMemory<byte>>> commands)
    {
        PooledBufferWriter writer = PooledBufferWriter.Rent(commands.Sum(EstimateBytes));
        try
        {
            foreach (IReadOnlyList<ReadOnlyMemory<byte>> command in commands)
            {
                RespCommandWriter.Write(writer, command);
            }

            return new PendingRequest(writer.Detach(out int length), length, commands.Count);
        }
        finally
        {
            writer.Abandon();
        }
    }

    /// <summary>
    /// Takes one reply; returns what completes the request once every reply it waits for has come
    /// (the reply itself, or the array of a unit's replies), else null.
    /// </summary>
    public RespValue? Gather(RespValue reply)
    {
        if (_replies is null)
        {
            return reply;
        }

        _replies[_gathered++] = reply;
        return _gathered == _replies.Length ? RespValue.Array(_replies) : null;
    }

    /// <exception cref="ArgumentException"><paramref name="command"/> holds no command.</exception>
    public static PendingRequest Encode(RespCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        PooledBufferWriter writer = PooledBufferWriter.Rent(PooledBufferWriter.MinimumBytes);
        try
        {
            RespCommandWriter.Write(writer, command);
            return new PendingRequest(writer.Detach(out int length), length);
        }
        finally
        {
            writer.Abandon();
        }
    }

    /// <summary>Takes the encoded bytes (the first <see cref="Length"/>) out of the request; null once taken.</summary>
    public byte[]? TakeBuffer() => Interlocked.Exchange(ref _buffer, null);

    /// <summary>Returns the encoded bytes to the pool unless someone has taken them already.</summary>
    public void ReturnBuffer()
    {
        if (TakeBuffer() is { } buffer)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static int EstimateBytes(IReadOnlyList<ReadOnlyMemory<byte>> command)
    {
        ArgumentNullException.ThrowIfNull(command);

        // Per argument: '$', up to 10 length digits, two CRLFs; plus the array header.
        long bytes = 16;
        for (int i = 0; i < command.Count; i++)
        {
            bytes += command[i].Length + 15;
        }

        return (int)Math.Min(bytes, Array.MaxLength);
    }
}
