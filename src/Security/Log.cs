using Microsoft.Extensions.Logging;

namespace KubeCache.Security;

/// <summary>Security's log messages, with stable event ids (300-349). No message ever contains a key.</summary>
internal static partial class Log
{
    [LoggerMessage(300, LogLevel.Warning, "Authentication is OFF: no --auth-keys-file, so every client may read and write")]
    public static partial void AuthOff(ILogger logger);

    [LoggerMessage(301, LogLevel.Information, "Authentication is on: {Count} API keys from {Path}")]
    public static partial void AuthOn(ILogger logger, string path, int count);

    [LoggerMessage(302, LogLevel.Information, "API keys reloaded from {Path}: {Count} keys")]
    public static partial void KeysReloaded(ILogger logger, string path, int count);

    [LoggerMessage(303, LogLevel.Warning, "API keys file ignored, the previous keys stay: {Problem}")]
    public static partial void KeysRejected(ILogger logger, string problem);

    [LoggerMessage(310, LogLevel.Information, "TLS certificate loaded from {Path}: subject {Subject}, expires {NotAfter:u}")]
    public static partial void CertificateLoaded(ILogger logger, string path, string subject, DateTime notAfter);

    [LoggerMessage(311, LogLevel.Warning, "TLS files ignored, the previous certificate stays: {Problem}")]
    public static partial void CertificateRejected(ILogger logger, string problem);

    [LoggerMessage(312, LogLevel.Debug, "TLS handshake with {Remote} failed: {Problem}")]
    public static partial void HandshakeFailed(ILogger logger, string? remote, string problem);
}
