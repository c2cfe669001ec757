using System.Net.Sockets;
using KubeCache.Protocol;

namespace KubeCache.Router.Upstream;

/// <summary>Builds every <see cref="UpstreamException"/>, so node failures read the same wherever they arise.</summary>
internal static class UpstreamErrors
{
    public static UpstreamException Down(string node, string address, string lastCause) =>
        new(node, address, lastCause, $"node {node} ({address}) is down: {lastCause}", null) { Unsent = true };

    public static UpstreamException ConnectFailed(string node, string address, Exception cause) => cause switch
    {
        SocketException socket => new(node, address, $"cannot connect: {socket.Message}", cause) { Unsent = true },
        _ => new(node, address, $"cannot connect: {cause.Message}", cause) { Unsent = true },
    };

    public static UpstreamException ConnectTimedOut(string node, string address, TimeSpan timeout) =>
        new(node, address, $"no connection within {timeout.TotalMilliseconds} ms") { Unsent = true };

    public static UpstreamException HandshakeTimedOut(string node, string address, TimeSpan timeout) =>
        new(node, address, $"connected, but the handshake (TLS, AUTH) did not finish within {timeout.TotalMilliseconds} ms") { Unsent = true };

    public static UpstreamException RequestTimedOut(string node, string address, TimeSpan timeout) =>
        new(node, address, $"no reply within {timeout.TotalMilliseconds} ms");

    public static UpstreamException ClosedByNode(string node, string address) =>
        new(node, address, "the node closed the connection");

    public static UpstreamException ConnectionLost(string node, string address, Exception cause) =>
        new(node, address, $"connection lost: {cause.Message}", cause);

    public static UpstreamException MalformedReply(string node, string address, RespReadError error) =>
        new(node, address, $"malformed reply ({error.Message})");

    public static UpstreamException UnexpectedReply(string node, string address) =>
        new(node, address, "a reply arrived with no request waiting for it");

    public static UpstreamException ClosedByRouter(string node, string address) =>
        new(node, address, "the router closed the connection (the node was removed or its address changed)");
}
