using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Connections;
using static KubeCache.Hosting.Transport.LinuxNative;

namespace KubeCache.Hosting.Transport;

/// <summary>The output side: what the application flushes is written to the socket, waiting for room when it has none.</summary>
internal sealed partial class EpollConnection
{
    /// <summary>On the loop thread: the socket has room (or failed); a write waiting for room tries again.</summary>
    private void Writable()
    {
        Interlocked.Increment(ref _writableEvents);
        if (Volatile.Read(ref _writableWaiter) is { } waiter && Interlocked.CompareExchange(ref _writableWaiter, null, waiter) == waiter)
        {
            waiter.TrySetResult();
        }
    }

    private async Task SendAsync()
    {
        PipeReader reader = _output.Reader;
        Exception? error = null;
        try
        {
            while (true)
            {
                // Everything flushed so far is written: a connection may be served inline again (EnterInline).
                _outputIdle = true;
                ReadResult result = await reader.ReadAsync().ConfigureAwait(false);
                _outputIdle = false;
                if (_loop.IsCurrent && !result.IsCanceled)
                {
                    // Flushed by the application while the loop hands it input: written with the other clients' replies, at the end of the batch.
                    reader.AdvanceTo(result.Buffer.Start);
                    await _loop.EndOfBatch();
                    if (!reader.TryRead(out result))
                    {
                        continue;
                    }
                }

                if (result.IsCanceled)
                {
                    break;
                }

                ReadOnlySequence<byte> buffer = result.Buffer;
                while (!buffer.IsEmpty)
                {
                    int seen = Volatile.Read(ref _writableEvents);
                    long sent = Send(buffer, out int errno);
                    if (sent > 0)
                    {
                        buffer = buffer.Slice(sent);
                    }
                    else if (errno == EAGAIN)
                    {
                        await WaitWritableAsync(seen).ConfigureAwait(false);
                    }
                    else if (errno != EINTR)
                    {
                        throw errno is ECONNRESET or EPIPE
                            ? new ConnectionResetException(new SocketException(errno).Message, new SocketException(errno))
                            : new IOException(new SocketException(errno).Message, new SocketException(errno));
                    }
                }

                reader.AdvanceTo(buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception e)
        {
            error = e;
        }
        finally
        {
            // As Kestrel's socket transport: the output is done, so the socket shuts down; the loop then sees the input end.
            Shutdown();
            reader.Complete(_abortReason ?? error);
            _input.Writer.CancelPendingFlush();
        }
    }

    /// <summary>Waits for the socket to have room; returns at once when an event came since <paramref name="seen"/> was read.</summary>
    private Task WaitWritableAsync(int seen)
    {
        TaskCompletionSource waiter = new();
        Interlocked.Exchange(ref _writableWaiter, waiter);
        if (Volatile.Read(ref _writableEvents) != seen || Volatile.Read(ref _shutdown) != 0)
        {
            Interlocked.CompareExchange(ref _writableWaiter, null, waiter);
            return Task.CompletedTask;
        }

        return waiter.Task;
    }

    /// <summary>One write of as much of <paramref name="buffer"/> as the socket takes; returns the bytes written, or -1 with <paramref name="error"/> set.</summary>
    private unsafe long Send(in ReadOnlySequence<byte> buffer, out int error)
    {
        error = 0;
        bool added = false;
        try
        {
            _socket.SafeHandle.DangerousAddRef(ref added);
            long n;
            if (buffer.IsSingleSegment)
            {
                fixed (byte* p = buffer.FirstSpan)
                {
                    n = write(_fd, p, buffer.FirstSpan.Length);
                }
            }
            else
            {
                n = SendGathered(buffer);
            }

            if (n < 0)
            {
                error = Marshal.GetLastPInvokeError();
            }

            return n;
        }
        catch (ObjectDisposedException)
        {
            error = EPIPE;
            return -1;
        }
        finally
        {
            if (added)
            {
                _socket.SafeHandle.DangerousRelease();
            }
        }
    }

    private unsafe long SendGathered(in ReadOnlySequence<byte> buffer)
    {
        MemoryHandle[] pins = _pins ??= new MemoryHandle[MaxIoVectors];
        IoVector* vectors = stackalloc IoVector[MaxIoVectors];
        int count = 0;
        try
        {
            foreach (ReadOnlyMemory<byte> segment in buffer)
            {
                if (segment.IsEmpty)
                {
                    continue;
                }

                pins[count] = segment.Pin();
                vectors[count].Base = (byte*)pins[count].Pointer;
                vectors[count].Length = (nuint)segment.Length;
                if (++count == MaxIoVectors)
                {
                    break;
                }
            }

            return writev(_fd, vectors, count);
        }
        finally
        {
            for (int i = 0; i < count; i++)
            {
                pins[i].Dispose();
            }
        }
    }
}
