using Microsoft.Extensions.Logging;

namespace KubeCache.Hosting;

/// <summary>The server edge's log messages, with stable event ids (350-399).</summary>
internal static partial class Log
{
    [LoggerMessage(350, LogLevel.Warning, "Ring document from {Source} ignored, the last good ring stays: {Problem}")]
    public static partial void RingRejected(ILogger logger, string source, string problem);

    [LoggerMessage(351, LogLevel.Warning, "Watching {Source} failed, retrying: {Problem}")]
    public static partial void RingWatchFailed(ILogger logger, string source, string problem);

    [LoggerMessage(352, LogLevel.Debug, "Connection {ConnectionId} sent a malformed RESP frame: {Problem}")]
    public static partial void ProtocolError(ILogger logger, string connectionId, string problem);

    [LoggerMessage(353, LogLevel.Information, "Stopping: /readyz answers 503; serving for {DelaySeconds} s (--shutdown-delay), then draining connections for up to {TimeoutSeconds} s (--shutdown-timeout)")]
    public static partial void ShutdownDelayed(ILogger logger, double delaySeconds, double timeoutSeconds);
}
