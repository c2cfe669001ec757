using Microsoft.Extensions.Logging;

namespace KubeCache.ClientContract;

/// <summary>The log messages of the client contract, the same in nodes and routers, with stable event ids (400-449).</summary>
public static partial class ContractLog
{
    /// <summary>A request that failed in a way no client mistake explains; the client got an internal-error reply.</summary>
    [LoggerMessage(400, LogLevel.Error, "Unexpected error serving {Protocol} request {Command}")]
    public static partial void UnexpectedError(ILogger logger, Exception exception, string protocol, string command);
}
