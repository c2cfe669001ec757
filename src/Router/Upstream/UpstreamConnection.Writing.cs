using System.Buffers;
using System.IO.Pipelines;

namespace KubeCache.Router.Upstream;

/// <summary>The write loop: queued requests go into the FIFO and the pipe, flushed once per batch.</summary>
public sealed partial class UpstreamConnection
{
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
                    unflushed += Write(request);
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
        }
    }

    /// <summary>Copies one request into the pipe, after adding it to the awaiting FIFO; returns the bytes written.</summary>
    private int Write(PendingRequest request)
    {
        byte[]? buffer = request.TakeBuffer();
        if (buffer is null)
        {
            return 0;
        }

        try
        {
            if (request.Task.IsCompleted)
            {
                // Cancelled before it was sent: the node never sees it, so it needs no place in the FIFO.
                return 0;
            }

            lock (_sync)
            {
                if (_failure is not null)
                {
                    request.TrySetException(_failure);
                    return 0;
                }

                _awaitingReply.Enqueue(request);
            }

            Volatile.Write(ref _lastRequest, request.StartTimestamp);

            _output.Write(buffer.AsSpan(0, request.Length));
            return request.Length;
        }
        finally
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
