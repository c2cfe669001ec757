using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace KubeCache.Hosting.Limits;

/// <summary>
/// A RESP connection's output with its write deadline. A flush that has to wait because the client
/// is not reading its replies may wait --output-timeout, or its size over --min-data-rate when that
/// is longer; then the connection is closed. The handler stops reading commands while a flush
/// waits, so a client that pipelines without reading holds at most one flush of replies
/// (--resp-output-buffer-bytes plus the reply that crossed it) in the server's memory, and that
/// only until the deadline. Those bytes are counted in <see cref="LimitMetrics"/>.
/// </summary>
internal sealed class GuardedOutput(PipeWriter inner, TimedConnection timed, ConnectionLimits limits, LimitMetrics metrics) : PipeWriter
{
    private readonly long _outputMs = (long)limits.OutputTimeout.TotalMilliseconds;
    private readonly long _rate = limits.MinDataRate;

    public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

    public override long UnflushedBytes => inner.UnflushedBytes;

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        long bytes = inner.CanGetUnflushedBytes ? inner.UnflushedBytes : 0;
        timed.ArmWrite(ConnectionDeadlines.Now + Math.Max(_outputMs, bytes * 1000 / _rate));
        metrics.OutputWaiting(bytes);
        ValueTask<FlushResult> flush = inner.FlushAsync(cancellationToken);
        if (!flush.IsCompletedSuccessfully)
        {
            return AwaitFlushAsync(flush, bytes);
        }

        Flushed(bytes);
        return flush;
    }

    public override void Advance(int bytes) => inner.Advance(bytes);

    public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

    public override void CancelPendingFlush() => inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<FlushResult> AwaitFlushAsync(ValueTask<FlushResult> flush, long bytes)
    {
        try
        {
            return await flush.ConfigureAwait(false);
        }
        finally
        {
            Flushed(bytes);
        }
    }

    private void Flushed(long bytes)
    {
        timed.DisarmWrite();
        metrics.OutputTaken(bytes);
    }
}
