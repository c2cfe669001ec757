using System.Diagnostics.CodeAnalysis;

namespace KubeCache.Router;

/// <summary>
/// The one place this project throws argument and state errors from, so messages stay consistent.
/// Failures of nodes are <see cref="Upstream.UpstreamException"/>s, built by <see cref="Upstream.UpstreamErrors"/>.
/// </summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static T ThrowOption<T>(string setting, string problem) =>
        throw new ArgumentException($"UpstreamOptions.{setting} {problem}.", setting);

    [DoesNotReturn]
    public static T ThrowBadAddress<T>(string paramName, string address) =>
        throw new ArgumentException(
            $"The node address '{address}' is not host:port (e.g. 10.0.0.7:6379, demo-0.demo-nodes:6379 or [::1]:6379) with a port from 1 to 65535.",
            paramName);

    [DoesNotReturn]
    public static void ThrowBadNodeName(string paramName) =>
        throw new ArgumentException("A node needs a non-empty name, e.g. its pod name.", paramName);

    [DoesNotReturn]
    public static T ThrowDisposed<T>(string what) =>
        throw new ObjectDisposedException(what, $"The {what} was disposed; the router creates a new one when it needs one.");
}
