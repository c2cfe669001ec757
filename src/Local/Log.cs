using KubeCache.Topology;

namespace KubeCache.Local;

/// <summary>Local mode's log messages (event ids 30-39).</summary>
internal static partial class Log
{
    [LoggerMessage(30, LogLevel.Information, "Local mode: {Count} nodes started; ring and logs in {Directory}")]
    public static partial void LocalStarted(ILogger logger, int count, string directory);

    [LoggerMessage(31, LogLevel.Information, "Local node {Node} started: HTTP {Http}, RESP {Resp}, log {LogPath}")]
    public static partial void LocalNodeStarted(ILogger logger, string node, string http, string resp, string logPath);

    [LoggerMessage(32, LogLevel.Warning, "Local node {Node} exited unexpectedly with code {ExitCode}; see {LogPath}")]
    public static partial void LocalNodeExited(ILogger logger, string node, int exitCode, string logPath);

    [LoggerMessage(33, LogLevel.Information, "Local node {Node} stopped")]
    public static partial void LocalNodeStopped(ILogger logger, string node);

    [LoggerMessage(34, LogLevel.Information, "Rebalance to epoch {Epoch} ended {Phase}; members {Members}")]
    public static partial void LocalRebalanced(ILogger logger, long epoch, RebalancePhase phase, string members);

    [LoggerMessage(35, LogLevel.Warning, "Rebalance to epoch {Epoch} finished after the handoff deadline; {Nodes} had not finished and their remaining keys are lost")]
    public static partial void LocalRebalanceTimedOut(ILogger logger, long epoch, string nodes);

    [LoggerMessage(36, LogLevel.Error, "Local membership change failed")]
    public static partial void LocalChangeFailed(ILogger logger, Exception exception);
}
