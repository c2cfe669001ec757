using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;

namespace KubeCache.Hosting.Limits;

/// <summary>
/// A RESP connection's input with its read deadline: while the handler waits for bytes, the
/// connection may stay idle for --idle-timeout when nothing is buffered, and when part of a
/// command is buffered, the command must be complete within --request-timeout of its start plus
/// its bytes so far over --min-data-rate (a large frame arriving steadily keeps its connection, a
/// trickle does not). What is left unconsumed at <see cref="AdvanceTo(SequencePosition, SequencePosition)"/>
/// is the partial frame, since the handler consumes every complete command.
/// </summary>
/// <remarks>
/// A read that has to wait completes through this reader itself (<see cref="IValueTaskSource{TResult}"/>):
/// a pipe has one read outstanding at a time, so one reusable completion serves every read, where
/// an async method would allocate its state machine on each read that waits (one per request for
/// a client that does not pipeline).
/// </remarks>
internal sealed class GuardedInput : PipeReader, IValueTaskSource<ReadResult>
{
    private readonly PipeReader inner;
    private readonly TimedConnection timed;
    private readonly Action _innerCompleted;
    private ManualResetValueTaskSourceCore<ReadResult> _read;
    private ConfiguredValueTaskAwaitable<ReadResult>.ConfiguredValueTaskAwaiter _waiting;

    public GuardedInput(PipeReader inner, TimedConnection timed, ConnectionLimits limits)
    {
        this.inner = inner;
        this.timed = timed;
        _idleMs = (long)limits.IdleTimeout.TotalMilliseconds;
        _requestMs = (long)limits.RequestTimeout.TotalMilliseconds;
        _rate = limits.MinDataRate;
        _innerCompleted = InnerCompleted;
    }

    private readonly long _idleMs;
    private readonly long _requestMs;
    private readonly long _rate;
    private ReadOnlySequence<byte> _last;
    private long _partialBytes;
    private long _frameStarted;
    private long _inlineFrameStarted;

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (_partialBytes == 0)
        {
            ArmIdle();
        }
        else
        {
            ArmPartial(_frameStarted, _partialBytes);
        }

        ValueTask<ReadResult> read = inner.ReadAsync(cancellationToken);
        if (!read.IsCompletedSuccessfully)
        {
            return AwaitReadAsync(read);
        }

        return new ValueTask<ReadResult>(Received(read.Result));
    }

    /// <summary>Arms the idle deadline, as a read that finds no partial frame does: for a connection whose commands are read without this reader, between them.</summary>
    internal void ArmIdle() => timed.ArmRead(ConnectionDeadlines.Now + _idleMs, CloseReason.Idle);

    /// <summary>
    /// For a connection whose bytes are read without this reader (served on its transport's loop),
    /// after each read: <paramref name="consumed"/> bytes were answered and <paramref name="waiting"/>
    /// are the start of a request kept until the rest arrives (0: none). Arms the same deadlines
    /// a read through this reader would: idle between requests, the request deadline for one begun.
    /// </summary>
    internal void ServedInline(int consumed, long waiting)
    {
        if (waiting == 0)
        {
            _inlineFrameStarted = 0;
            ArmIdle();
            return;
        }

        // A request begun after the ones before it has its own deadline, from its first bytes.
        if (consumed > 0 || _inlineFrameStarted == 0)
        {
            _inlineFrameStarted = ConnectionDeadlines.Now;
        }

        ArmPartial(_inlineFrameStarted, waiting);
    }

    /// <summary>--request-timeout from the frame's start plus its bytes so far over --min-data-rate.</summary>
    private void ArmPartial(long frameStarted, long partialBytes) =>
        timed.ArmRead(frameStarted + _requestMs + (partialBytes * 1000 / _rate), CloseReason.SlowRequest);

    public override bool TryRead(out ReadResult result)
    {
        if (!inner.TryRead(out result))
        {
            return false;
        }

        Received(result);
        return true;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        long left = _last.Slice(consumed).Length;
        if (left > 0 && (_partialBytes == 0 || !consumed.Equals(_last.Start)))
        {
            // A new partial frame: nothing was pending, or the commands before it were just consumed.
            _frameStarted = ConnectionDeadlines.Now;
        }

        _partialBytes = left;
        _last = default;
        inner.AdvanceTo(consumed, examined);
    }

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

    /// <summary>Completes this reader's own read once the inner one has: with the result taken in, or with the inner read's exception.</summary>
    private ValueTask<ReadResult> AwaitReadAsync(ValueTask<ReadResult> read)
    {
        _read.Reset();
        _waiting = read.ConfigureAwait(false).GetAwaiter();
        _waiting.UnsafeOnCompleted(_innerCompleted);
        return new ValueTask<ReadResult>(this, _read.Version);
    }

    private void InnerCompleted()
    {
        ReadResult result;
        try
        {
            result = _waiting.GetResult();
        }
        catch (Exception e)
        {
            timed.DisarmRead();
            _read.SetException(e);
            return;
        }
        finally
        {
            _waiting = default;
        }

        _read.SetResult(Received(result));
    }

    ReadResult IValueTaskSource<ReadResult>.GetResult(short token) => _read.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<ReadResult>.GetStatus(short token) => _read.GetStatus(token);

    void IValueTaskSource<ReadResult>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _read.OnCompleted(continuation, state, token, flags);

    private ReadResult Received(ReadResult result)
    {
        timed.DisarmRead();
        _last = result.Buffer;
        return result;
    }
}
