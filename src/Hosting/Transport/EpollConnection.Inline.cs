using System.Buffers;
using System.IO.Pipelines;
using static KubeCache.Hosting.Transport.LinuxNative;

namespace KubeCache.Hosting.Transport;

/// <summary>
/// Inline serving (<see cref="IInlineServingFeature"/>): the loop reads the socket into its own
/// buffer, the protocol answers there and then into the loop's output buffer, and the replies go
/// out before the loop turns to the next connection's events, with no pipe, task or continuation
/// between. A request that arrives in parts waits in a buffer of the connection's own until it
/// is complete (up to <see cref="MaxReadBurstBytes"/>). A protocol that owes a reply not yet
/// there (a router's, waiting for a node) suspends the connection: what was written goes out, the
/// rest of the input is kept, and the socket is not read until the protocol resumes it at the end
/// of a batch of the loop's events. Anything the protocol does not take, a
/// reply it cannot give at once, or a client that does not read its replies sends the connection
/// back to its pipes, until the protocol asks to be served inline again.
/// </summary>
internal sealed partial class EpollConnection
{
    // Touched only on the loop thread.
    private IInlineProtocol? _inline;
    private TaskCompletionSource? _inlineDone;

    /// <summary>The start of a request not yet complete (pooled, held only while there is one), and its length.</summary>
    private byte[]? _carry;
    private int _carried;

    /// <summary>A reply is owed (<see cref="InlineNext.Suspend"/>): the socket is not read until <see cref="ResumeInline"/>.</summary>
    private bool _suspended;

    /// <summary>While suspended: the socket may hold input (a read filled the buffer, or a readiness edge came meanwhile).</summary>
    private bool _inputWaiting;

    private Action? _resume;

    public Task ServeInlineAsync(IInlineProtocol protocol)
    {
        var done = new TaskCompletionSource();
        _loop.Post(
            static state =>
            {
                (EpollConnection connection, IInlineProtocol protocol, TaskCompletionSource done) = ((EpollConnection, IInlineProtocol, TaskCompletionSource))state!;
                connection.EnterInline(protocol, done, waitedForOutput: false);
            },
            (this, protocol, done));
        return done.Task;
    }

    /// <summary>
    /// On the loop thread: ends <see cref="ServeInlineAsync"/> once the loop has handled its events,
    /// so the application goes on on the loop thread, as it does when a read completes, rather than
    /// waking a pool thread for each switch between the loop and the pipes; at once when the loop
    /// has stopped (nothing would run it then).
    /// </summary>
    private void Finish(TaskCompletionSource done)
    {
        if (_loop.IsCurrent && !_loop.Stopped)
        {
            _loop.EndOfBatch().UnsafeOnCompleted(done.SetResult);
        }
        else
        {
            done.TrySetResult();
        }
    }

    public void LeaveInline() => _loop.Post(static c => ((EpollConnection)c!).Leave(default), this);

    public void ResumeInline()
    {
        if (_loop.IsCurrent && !_loop.Stopped)
        {
            // Never inside another connection's turn: the loop's output buffer may hold its replies.
            _loop.AtEndOfBatch(_resume ??= Resume);
        }
        else
        {
            _loop.Post(static c => ((EpollConnection)c!).Resume(), this);
        }
    }

    /// <summary>On the loop thread, between events: serves a suspended connection again, first the input kept, then the socket if it may hold more.</summary>
    private void Resume()
    {
        if (_inline is null || !_suspended)
        {
            return;
        }

        _suspended = false;
        int length = _carried;
        _carried = 0;
        if (!ServeInline(_carry ?? _loop.InlineInput, length))
        {
            return;
        }

        if (_carried == 0)
        {
            ReleaseCarry();
        }

        if (!_suspended && (_inputWaiting || _inputEnding))
        {
            _inputWaiting = false;
            ReceiveInline();
        }
        else if (!SendInline())
        {
            Leave(default);
        }
    }

    /// <summary>
    /// On the loop thread: starts serving inline, first with what the input pipe already holds (the
    /// first request often arrives with the connection, and a connection coming back from its pipes
    /// may have more waiting). Replies flushed to the output pipe before go out first: a flush made
    /// on the loop is written at the end of its batch, so entry waits for that once; replies a full
    /// socket still holds keep the connection on its pipes (the task completes at once).
    /// </summary>
    private void EnterInline(IInlineProtocol protocol, TaskCompletionSource done, bool waitedForOutput)
    {
        if (_readDone || _readPaused || _abortReason is not null || (!_outputIdle && waitedForOutput))
        {
            Finish(done);
            return;
        }

        if (!_outputIdle)
        {
            _loop.EndOfBatch().UnsafeOnCompleted(() => EnterInline(protocol, done, waitedForOutput: true));
            return;
        }

        _inline = protocol;
        _inlineDone = done;
        PipeReader reader = _input.Reader;
        if (reader.TryRead(out ReadResult result))
        {
            ReadOnlySequence<byte> buffered = result.Buffer;
            byte[] buffer = _loop.InlineInput;
            if (result.IsCanceled || result.IsCompleted || buffered.Length > buffer.Length)
            {
                reader.AdvanceTo(buffered.Start);
                Leave(default);
                return;
            }

            int length = (int)buffered.Length;
            buffered.CopyTo(buffer);
            reader.AdvanceTo(buffered.End);
            if (length > 0 && !ServeInline(buffer, length))
            {
                return;
            }
        }

        ReceiveInline();
    }

    /// <summary>
    /// On the loop thread: reads what the socket holds and serves it, until the socket is empty or
    /// the connection leaves, then writes the replies: the loop's output is empty again when this returns.
    /// </summary>
    private void ReceiveInline()
    {
        if (_suspended)
        {
            // Edge-triggered: this readiness is not announced again, so the resume reads.
            _inputWaiting = true;
            return;
        }

        byte[] buffer = _loop.InlineInput;
        while (_inline is not null && !_suspended)
        {
            nint n = Read(buffer, out int error);
            if (n > 0)
            {
                if (!ServeRead(buffer, (int)n))
                {
                    return;
                }

                // A read that fills the buffer may have left more behind; a shorter one emptied the socket, and more data makes a new edge.
                bool more = n == buffer.Length || _inputEnding;
                if (_suspended)
                {
                    _inputWaiting = more;
                }

                if (!more)
                {
                    break;
                }
            }
            else if (n < 0 && error == EINTR)
            {
                continue;
            }
            else if (n < 0 && error == EAGAIN)
            {
                break;
            }
            else
            {
                // The input ends first, so leaving does not read the socket again; the replies still go
                // to the pipe. The start of a request kept can no longer be completed: it is dropped.
                ReleaseCarry();
                EndInput(n == 0 ? 0 : error);
                Leave(default);
                return;
            }
        }

        // A socket that does not take them all sends the connection back to its pipes, the rest of the replies with it.
        if (_inline is not null && !SendInline())
        {
            Leave(default);
        }
    }

    /// <summary>Serves bytes just read, after the start of a request kept from the reads before, if any; false when the connection left inline serving.</summary>
    private bool ServeRead(byte[] buffer, int length)
    {
        if (_carried == 0)
        {
            return ServeInline(buffer, length);
        }

        int total = _carried + length;
        if (total > MaxReadBurstBytes)
        {
            // A request this large goes to the pipes, whose limits and deadlines are made for it.
            Leave(buffer.AsSpan(0, length));
            return false;
        }

        if (_carry!.Length < total)
        {
            byte[] grown = ArrayPool<byte>.Shared.Rent(total);
            _carry.AsSpan(0, _carried).CopyTo(grown);
            ArrayPool<byte>.Shared.Return(_carry);
            _carry = grown;
        }

        buffer.AsSpan(0, length).CopyTo(_carry.AsSpan(_carried));
        _carried = 0;
        if (!ServeInline(_carry, total))
        {
            return false;
        }

        if (_carried == 0)
        {
            ReleaseCarry();
        }

        return true;
    }

    /// <summary>Serves <paramref name="length"/> bytes of <paramref name="buffer"/>; false when the connection left inline serving.</summary>
    private bool ServeInline(byte[] buffer, int length)
    {
        InlineOutput output = _loop.InlineOutput;
        int offset = 0;
        while (true)
        {
            int consumed = _inline!.Serve(buffer.AsMemory(offset, length - offset), output, out InlineNext next);
            offset += consumed;
            switch (next)
            {
                case InlineNext.More when offset == length:
                    return true;
                case InlineNext.Wait when offset < length && length - offset <= MaxReadBurstBytes:
                    Keep(buffer.AsSpan(offset, length - offset));
                    return true;
                case InlineNext.Write when output.Length > 0 && SendInline():
                    continue;
                case InlineNext.Suspend:
                    if (offset < length)
                    {
                        Keep(buffer.AsSpan(offset, length - offset));
                    }

                    _suspended = true;
                    return true;
                default:
                    // Left, a socket that did not take the replies, or a protocol that would not go on.
                    Leave(buffer.AsSpan(offset, length - offset));
                    return false;
            }
        }
    }

    /// <summary>Keeps <paramref name="rest"/>, the start of a request, for the next read (it may lie in the carry buffer itself).</summary>
    private void Keep(ReadOnlySpan<byte> rest)
    {
        if (_carry is null || _carry.Length < rest.Length)
        {
            byte[] grown = ArrayPool<byte>.Shared.Rent(Math.Max(rest.Length, 4096));
            rest.CopyTo(grown);
            ReleaseCarry();
            _carry = grown;
        }
        else
        {
            rest.CopyTo(_carry);
        }

        _carried = rest.Length;
    }

    private void ReleaseCarry()
    {
        if (_carry is not null)
        {
            ArrayPool<byte>.Shared.Return(_carry);
            _carry = null;
        }

        _carried = 0;
    }

    /// <summary>Writes the replies the protocol wrote; false when the socket does not take them all (full, or failed).</summary>
    private bool SendInline()
    {
        InlineOutput output = _loop.InlineOutput;
        while (output.Length > 0)
        {
            long sent = Send(new ReadOnlySequence<byte>(output.Unsent), out int errno);
            if (sent > 0)
            {
                output.Sent((int)sent);
            }
            else if (errno != EINTR)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// On the loop thread: back to the pipes, with <paramref name="rest"/> (input not consumed) in
    /// the input pipe and the replies not written in the output pipe, for the application to flush.
    /// </summary>
    private void Leave(ReadOnlySpan<byte> rest)
    {
        if (_inline is null)
        {
            return;
        }

        _inline = null;
        _suspended = _inputWaiting = false;
        InlineOutput output = _loop.InlineOutput;
        if (output.Length > 0)
        {
            _output.Writer.Write(output.Unsent.Span);
        }

        output.Clear();
        bool reading = true;
        if (_carried > 0 || !rest.IsEmpty)
        {
            // The start of a request kept from before comes first; rest never lies in it then.
            _input.Writer.Write(_carry.AsSpan(0, _carried));
            _input.Writer.Write(rest);
            reading = FlushInput();
        }

        ReleaseCarry();

        Finish(_inlineDone!);
        _inlineDone = null;

        // Edge-triggered: what arrived while the protocol decided to leave has no new event to announce it.
        if (reading && !_readDone && !_readPaused)
        {
            Receive();
        }
    }
}
