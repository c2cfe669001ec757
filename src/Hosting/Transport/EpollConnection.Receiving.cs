using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Connections;
using static KubeCache.Hosting.Transport.LinuxNative;

namespace KubeCache.Hosting.Transport;

/// <summary>The input side: the loop reads the socket into the input pipe and hands it to the application.</summary>
internal sealed partial class EpollConnection
{
    /// <summary>On the loop thread: reads what the socket holds into the input and hands it to the application, until the socket is empty or the input is full.</summary>
    private void Receive()
    {
        PipeWriter writer = _input.Writer;
        while (true)
        {
            int received = 0;
            int error = 0;
            bool end = false;
            bool more = false;
            while (received < MaxReadBurstBytes)
            {
                Memory<byte> memory = writer.GetMemory(MinReadBytes);
                nint n = Read(memory.Span, out error);
                if (n > 0)
                {
                    writer.Advance((int)n);
                    received += (int)n;

                    // A read that fills its buffer may have left more behind; a shorter one emptied the socket, and more data makes a new edge.
                    more = n == memory.Length || _inputEnding;
                    if (!more)
                    {
                        break;
                    }
                }
                else if (n == 0)
                {
                    end = true;
                    break;
                }
                else if (error != EINTR)
                {
                    end = error != EAGAIN;
                    more = false;
                    break;
                }
            }

            if (end)
            {
                EndInput(error);
                return;
            }

            if (received == 0 || !FlushInput() || !more)
            {
                return;
            }
        }
    }

    /// <summary>On the loop thread: hands what the input holds to the application; false when reading must stop (the input is full, or no longer read).</summary>
    private bool FlushInput()
    {
        ValueTask<FlushResult> flush = _input.Writer.FlushAsync();
        if (!flush.IsCompletedSuccessfully)
        {
            _readPaused = true;
            _ = ResumeAfterFlushAsync(flush);
            return false;
        }

        if (flush.Result.IsCompleted)
        {
            // The application has stopped reading: what the client sends now has nowhere to go.
            _readDone = true;
            _input.Writer.Complete();
            return false;
        }

        return true;
    }

    private async Task ResumeAfterFlushAsync(ValueTask<FlushResult> flush)
    {
        bool completed;
        try
        {
            completed = (await flush.ConfigureAwait(false)).IsCompleted;
        }
        catch (Exception)
        {
            completed = true;
        }

        _loop.Post(
            static state =>
            {
                (EpollConnection connection, bool completed) = ((EpollConnection, bool))state!;
                connection._readPaused = false;
                if (connection._readDone)
                {
                    return;
                }

                if (completed)
                {
                    connection._readDone = true;
                    connection._input.Writer.Complete();
                    return;
                }

                // The socket was not read while the input was full, and an edge-triggered socket does not say so again.
                connection.Receive();
            },
            (this, completed));
    }

    /// <summary>The client's FIN, a reset, or this side's shutdown: the input ends, with the reason the application should see.</summary>
    private void EndInput(int error)
    {
        _readDone = true;
        Exception? reason = _abortReason;
        if (reason is null && error != 0)
        {
            reason = error is ECONNRESET or EPIPE
                ? new ConnectionResetException(new SocketException(error).Message, new SocketException(error))
                : new IOException(new SocketException(error).Message, new SocketException(error));
        }

        _input.Writer.Complete(reason);
        FireClosed();
    }

    /// <summary>One read; returns the bytes read, 0 at the end, or -1 with <paramref name="error"/> set.</summary>
    private unsafe nint Read(Span<byte> buffer, out int error)
    {
        error = 0;
        bool added = false;
        try
        {
            _socket.SafeHandle.DangerousAddRef(ref added);
            nint n;
            fixed (byte* p = buffer)
            {
                n = read(_fd, p, buffer.Length);
            }

            if (n < 0)
            {
                error = Marshal.GetLastPInvokeError();
            }

            return n;
        }
        catch (ObjectDisposedException)
        {
            return 0;
        }
        finally
        {
            if (added)
            {
                _socket.SafeHandle.DangerousRelease();
            }
        }
    }
}
