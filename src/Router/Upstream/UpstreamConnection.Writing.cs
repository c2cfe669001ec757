using System.Buffers;
using System.IO.Pipelines;

namespace KubeCache.Router.Upstream;

/// <summary>The write loop: queued requests go into the FIFO and the pipe, flushed once per batch.</summary>
public sealed partial class UpstreamConnection
{
    // The write loop is the outbox's only reader, as its channel requires: it takes requests while
    // the connection lives and fails those still queued once it has died.
    private async Task WriteLoopAsync()
    {
        await Task.Yield();
        try
        {
            while (await _outbox.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                long unflushed = 0;
                while (_outbox.Reader.TryRead(out PendingRequest? request))
                {
                    int tail = await WriteAsync(request).ConfigureAwait(false);
                    if (tail < 0)
                    {
                        return;
                    }

                    // A large request has flushed everything before its last piece.
                    unflushed = request.Length > FlushThresholdBytes ? tail : unflushed + tail;
                    if (unflushed >= FlushThresholdBytes)
                    {
                        if (!await FlushAsync().ConfigureAwait(false))
                        {
                            return;
                        }

                        unflushed = 0;
                    }
                }

                if (!await FlushAsync().ConfigureAwait(false))
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
            await CompleteQuietlyAsync(_output.CompleteAsync()).ConfigureAwait(false);
            await FailQueuedAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Adds one request to the awaiting FIFO and copies it into the pipe. A request larger than a
    /// flush goes out in flush-sized pieces, each marking it sent again, so the watchdog sees a
    /// node that is still taking it as making progress.
    /// </summary>
    /// <returns>The bytes of it left in the pipe unflushed, or -1 when the connection has failed and the loop should stop.</returns>
    private async ValueTask<int> WriteAsync(PendingRequest request)
    {
        byte[]? buffer = request.TakeBuffer();
        bool admitted = buffer is not null && Admit(request);

        // Out of the outbox only now that it is in the awaiting FIFO (or dropped), so Idle never
        // sees a request between the two.
        Interlocked.Decrement(ref _queued);
        if (buffer is null || !admitted)
        {
            CountLarge(request, -1);
            ReturnBuffer(buffer);
            return IsAlive ? 0 : -1;
        }

        try
        {
            int offset = 0;
            while (request.Length - offset > FlushThresholdBytes)
            {
                _output.Write(buffer.AsSpan(offset, FlushThresholdBytes));
                offset += FlushThresholdBytes;
                if (!await FlushAsync().ConfigureAwait(false))
                {
                    return -1;
                }

                request.MarkSent();
            }

            _output.Write(buffer.AsSpan(offset, request.Length - offset));
            return request.Length - offset;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Puts a request into the awaiting FIFO; false when it is not to be sent (cancelled, or the connection failed).</summary>
    private bool Admit(PendingRequest request)
    {
        if (request.Task.IsCompleted)
        {
            // Cancelled before it was sent: the node never sees it, so it needs no place in the FIFO.
            return false;
        }

        lock (_sync)
        {
            if (_failure is not null)
            {
                request.Fail(_failure);
                return false;
            }

            request.MarkSent();
            _awaitingReply.Enqueue(request);
        }

        Volatile.Write(ref _lastRequest, request.SentTimestamp);
        return true;
    }

    private static void ReturnBuffer(byte[]? buffer)
    {
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <returns>False when the connection has failed meanwhile and the loop should stop.</returns>
    private async ValueTask<bool> FlushAsync()
    {
        FlushResult result = await _output.FlushAsync().ConfigureAwait(false);
        if (result.IsCanceled || result.IsCompleted)
        {
            Fail(UpstreamErrors.ClosedByNode(NodeName, Address));
        }

        return IsAlive;
    }

    /// <summary>
    /// Fails every request still queued once the connection has died. Runs until the outbox is
    /// completed, which <see cref="Fail"/> does right after recording the failure, so a request
    /// queued in between is failed too.
    /// </summary>
    private async ValueTask FailQueuedAsync()
    {
        do
        {
            while (_outbox.Reader.TryRead(out PendingRequest? queued))
            {
                Interlocked.Decrement(ref _queued);
                queued.ReturnBuffer();
                queued.Fail(Failure!);
            }
        }
        while (await _outbox.Reader.WaitToReadAsync().ConfigureAwait(false));
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
