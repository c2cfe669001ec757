using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Sockets;
using KubeCache.Protocol;

namespace KubeCache.Router.Upstream;

/// <summary>The read loop, which matches replies to requests in FIFO order, and the watchdog that gives up on a silent node.</summary>
public sealed partial class UpstreamConnection
{
    private async Task ReadLoopAsync()
    {
        await Task.Yield();
        try
        {
            while (true)
            {
                ReadResult result = await _input.ReadAsync().ConfigureAwait(false);
                Volatile.Write(ref _lastReceived, Stopwatch.GetTimestamp());
                ReadOnlySequence<byte> buffer = result.Buffer;
                UpstreamException? failure = MatchReplies(ref buffer);
                Volatile.Write(ref _replyBytesArrived, buffer.Length);
                _input.AdvanceTo(buffer.Start, buffer.End);
                if (failure is null && (result.IsCompleted || result.IsCanceled))
                {
                    failure = UpstreamErrors.ClosedByNode(NodeName, Address);
                }

                if (failure is not null)
                {
                    Fail(failure);
                    return;
                }
            }
        }
        catch (Exception e)
        {
            Fail(UpstreamErrors.ConnectionLost(NodeName, Address, e));
        }
        finally
        {
            await CompleteQuietlyAsync(_input.CompleteAsync()).ConfigureAwait(false);
        }
    }

    /// <summary>Completes awaiting requests, oldest first, with the whole replies in <paramref name="buffer"/>.</summary>
    /// <returns>Why the connection must close, or null to read on.</returns>
    private UpstreamException? MatchReplies(ref ReadOnlySequence<byte> buffer)
    {
        while (true)
        {
            RespReadStatus status = RespReplyReader.TryRead(ref buffer, RespLimits.Default, out RespValue? reply, out RespReadError error);
            if (status == RespReadStatus.Incomplete)
            {
                return null;
            }

            if (status == RespReadStatus.ProtocolError)
            {
                return UpstreamErrors.MalformedReply(NodeName, Address, error);
            }

            PendingRequest? request;
            RespValue? whole;
            lock (_sync)
            {
                if (_failure is not null)
                {
                    return _failure;
                }

                if (!_awaitingReply.TryPeek(out request))
                {
                    return UpstreamErrors.UnexpectedReply(NodeName, Address);
                }

                // A unit of several commands stays at the head until its last reply.
                whole = request.Gather(reply!);
                if (whole is not null)
                {
                    _awaitingReply.Dequeue();
                    CountLarge(request, -1);
                }
            }

            if (whole is not null)
            {
                request.Reply(whole);
            }
        }
    }

    /// <summary>
    /// The watchdog's timer callback. A check that fails is reported and skipped: it changes no
    /// state, so the next tick checks afresh, and neither the connection nor the node is blamed.
    /// </summary>
    private void Watch() => _errors.Run("upstream-watchdog", CheckTimeout);

    /// <summary>
    /// Checks the connection: when a reply is owed and the node has sent nothing for the request
    /// timeout, counted from when the oldest unanswered request was sent or from the last bytes
    /// that arrived, whichever is later, the node has stopped answering and the connection is
    /// closed. Closing is the only way out, since a late reply would otherwise go to the next
    /// request. A large reply arriving steadily is progress, however long it takes in all, so it
    /// fails neither itself nor the requests queued behind it. Bytes waiting unread in the socket
    /// are progress too: then the router is behind (starved of CPU, paused by the runtime, or
    /// busy in a reply's continuation on the read loop), not the node silent.
    /// </summary>
    /// <remarks>
    /// Reads only the awaiting FIFO (under its lock) and timestamps, never the outbox: the write
    /// loop is that channel's single reader. A request still in the outbox is not the node's
    /// fault until it is sent; when the write loop is stuck sending, the request it is sending
    /// heads the FIFO unanswered, and that is what times out.
    /// </remarks>
    internal void CheckTimeout() => CheckTimeout(Stopwatch.GetTimestamp());

    /// <inheritdoc cref="CheckTimeout()"/>
    /// <param name="now">The time of the check, in <see cref="Stopwatch"/> ticks.</param>
    internal void CheckTimeout(long now)
    {
        long since;
        lock (_sync)
        {
            if (_failure is not null)
            {
                return;
            }

            since = _awaitingReply.TryPeek(out PendingRequest? oldest)
                ? Math.Max(oldest.SentTimestamp, Volatile.Read(ref _lastReceived))
                : 0;
        }

        if (since == 0)
        {
            KeepAlive();
        }
        else if (Stopwatch.GetElapsedTime(since, now) >= _requestTimeout && !BytesWaitingUnread())
        {
            Fail(UpstreamErrors.RequestTimedOut(NodeName, Address, _requestTimeout));
        }
    }

    /// <summary>Whether the node's bytes sit in the socket, not yet taken by the read loop; asked only when a timeout is due.</summary>
    private bool BytesWaitingUnread()
    {
        try
        {
            return _socket.Available > 0;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The socket is closing: the read loop reports why.
            return false;
        }
    }

    /// <summary>
    /// Sends a PING on a connection that has carried no request for the keep-alive interval, so
    /// the node does not close it as idle. A node that does not answer fails it like any request.
    /// </summary>
    private void KeepAlive()
    {
        if (Stopwatch.GetElapsedTime(Volatile.Read(ref _lastRequest)) < _keepAlive)
        {
            return;
        }

        Volatile.Write(ref _lastRequest, Stopwatch.GetTimestamp());
        ValueTask<RespValue> reply = SendAsync(PendingRequest.Encode(KeepAlivePing), CancellationToken.None);

        // Nobody awaits the reply; observing a failure keeps it from being reported as unobserved.
        _ = reply.AsTask().ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private static readonly ReadOnlyMemory<byte>[] KeepAlivePing = ["PING"u8.ToArray()];
}
