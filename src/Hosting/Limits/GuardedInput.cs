using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace KubeCache.Hosting.Limits;

/// <summary>
/// A RESP connection's input with its read deadline: while the handler waits for bytes, the
/// connection may stay idle for --idle-timeout when nothing is buffered, and when part of a
/// command is buffered, the command must be complete within --request-timeout of its start plus
/// its bytes so far over --min-data-rate (a large frame arriving steadily keeps its connection, a
/// trickle does not). What is left unconsumed at <see cref="AdvanceTo(SequencePosition, SequencePosition)"/>
/// is the partial frame, since the handler consumes every complete command.
/// </summary>
internal sealed class GuardedInput(PipeReader inner, TimedConnection timed, ConnectionLimits limits) : PipeReader
{
    private readonly long _idleMs = (long)limits.IdleTimeout.TotalMilliseconds;
    private readonly long _requestMs = (long)limits.RequestTimeout.TotalMilliseconds;
    private readonly long _rate = limits.MinDataRate;
    private ReadOnlySequence<byte> _last;
    private long _partialBytes;
    private long _frameStarted;

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (_partialBytes == 0)
        {
            timed.ArmRead(ConnectionDeadlines.Now + _idleMs, CloseReason.Idle);
        }
        else
        {
            timed.ArmRead(_frameStarted + _requestMs + (_partialBytes * 1000 / _rate), CloseReason.SlowRequest);
        }

        ValueTask<ReadResult> read = inner.ReadAsync(cancellationToken);
        if (!read.IsCompletedSuccessfully)
        {
            return AwaitReadAsync(read);
        }

        return new ValueTask<ReadResult>(Received(read.Result));
    }

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

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ReadResult> AwaitReadAsync(ValueTask<ReadResult> read)
    {
        try
        {
            return Received(await read.ConfigureAwait(false));
        }
        finally
        {
            timed.DisarmRead();
        }
    }

    private ReadResult Received(ReadResult result)
    {
        timed.DisarmRead();
        _last = result.Buffer;
        return result;
    }
}
