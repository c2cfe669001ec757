using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;

namespace KubeCache.Router.Upstream;

/// <summary>
/// The sending side: callers copy requests into the outgoing pipe, and the send loop writes
/// what is there to the socket, inline on the flushing caller's thread while the socket keeps up.
/// </summary>
public sealed partial class UpstreamConnection
{
    /// <summary>
    /// Takes <paramref name="request"/>'s place in the FIFO and copies its bytes into the pipe.
    /// When the node has nothing else to answer, the bytes are sent at once (or at the end of the
    /// <see cref="UpstreamBatch"/> open on this thread); otherwise they wait for the next reply,
    /// after which the read loop sends everything gathered meanwhile in one write. Under load
    /// this turns many clients' requests into one write and one read on each side, at the cost
    /// of at most one reply's wait; an idle connection adds no delay.
    /// </summary>
    /// <returns>The connection's failure when it is dead and the request was not queued, else null.</returns>
    private UpstreamException? Enqueue(PendingRequest request)
    {
        byte[]? buffer = request.TakeBuffer();
        if (buffer is null)
        {
            return null;
        }

        try
        {
            lock (_writeLock)
            {
                bool idle;
                lock (_sync)
                {
                    if (_failure is not null)
                    {
                        return _failure;
                    }

                    // Decided under _sync: the read loop checks _sendPending after dequeuing a
                    // reply, so a request that waits here is sure to be sent by that check.
                    idle = _awaitingReply.Count == 0;
                    _sendPending |= !idle;
                    _awaitingReply.Enqueue(request);
                }

                _outgoing.Writer.Write(buffer.AsSpan(0, request.Length));
                Volatile.Write(ref _lastRequest, request.StartTimestamp);
                if (idle && !UpstreamBatch.Defer(this))
                {
                    FlushLocked();
                }
            }

            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Sends the requests that waited for a reply; called by the read loop.</summary>
    private void SendPending()
    {
        if (Volatile.Read(ref _sendPending))
        {
            Flush();
        }
    }

    /// <summary>Sends what an <see cref="UpstreamBatch"/> or a busy node left in the pipe.</summary>
    internal void Flush()
    {
        lock (_writeLock)
        {
            if (IsAlive)
            {
                FlushLocked();
            }
        }
    }

    private void FlushLocked()
    {
        Volatile.Write(ref _sendPending, false);
        // The pipe never pauses its writer, so the flush is complete when it returns; when the
        // send loop is idle it has run inline and handed the bytes to the socket.
        ValueTask<FlushResult> flushing = _outgoing.Writer.FlushAsync();
        Debug.Assert(flushing.IsCompleted, "the outgoing pipe has no pause threshold");
        _ = flushing.GetAwaiter().GetResult();
    }

    private async Task SendLoopAsync()
    {
        PipeReader pending = _outgoing.Reader;
        try
        {
            while (true)
            {
                ReadResult result = await pending.ReadAsync().ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = result.Buffer;
                foreach (ReadOnlyMemory<byte> segment in buffer)
                {
                    await _stream.WriteAsync(segment).ConfigureAwait(false);
                }

                pending.AdvanceTo(buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
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
            await pending.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Completes a pipe of a connection that is closing; its failure has been reported already.</summary>
    private static async ValueTask CompleteQuietlyAsync(ValueTask completion)
    {
        try
        {
            await completion.ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // Data still buffered for a dead socket cannot be sent; the requests it held have failed.
        }
    }
}
