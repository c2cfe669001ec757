namespace KubeCache.Router;

/// <summary>The router's log messages, source-generated, with stable event ids.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "Node {Node} ({Address}) marked down for {IntervalMs} ms: {Cause}")]
    public static partial void NodeMarkedDown(ILogger logger, string node, string address, double intervalMs, string cause);

    [LoggerMessage(2, LogLevel.Information, "Node {Node} ({Address}) still down after a probe; next probe in {IntervalMs} ms: {Cause}")]
    public static partial void NodeStillDown(ILogger logger, string node, string address, double intervalMs, string cause);

    [LoggerMessage(3, LogLevel.Information, "Node {Node} ({Address}) is up again")]
    public static partial void NodeUp(ILogger logger, string node, string address);

    [LoggerMessage(11, LogLevel.Information, "Router listening: HTTP {Http}, RESP {Resp}")]
    public static partial void Listening(ILogger logger, string http, string resp);
}
