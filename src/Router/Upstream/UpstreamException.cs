namespace KubeCache.Router.Upstream;

/// <summary>
/// A request could not be answered by its node: the node is marked down, refused or timed out
/// the connection, stopped answering, or closed the connection. The message names the node and
/// its address and says why, so it can be passed on to the client as it is.
/// </summary>
public sealed class UpstreamException : Exception
{
    public UpstreamException(string nodeName, string address, string cause, Exception? innerException = null)
        : this(nodeName, address, cause, $"node {nodeName} ({address}): {cause}", innerException)
    {
    }

    internal UpstreamException(string nodeName, string address, string cause, string message, Exception? innerException)
        : base(message, innerException)
    {
        NodeName = nodeName;
        Address = address;
        Cause = cause;
    }

    /// <summary>The node's name, as given to <see cref="UpstreamPool.GetOrAdd"/>.</summary>
    public string NodeName { get; }

    /// <summary>The node's RESP address, <c>host:port</c>.</summary>
    public string Address { get; }

    /// <summary>Why the request failed, without the node's name, e.g. <c>no reply within 1000 ms</c>.</summary>
    public string Cause { get; }

    /// <summary>
    /// True when the request never reached the node (no connection could be made, or the node is
    /// marked down), so sending it elsewhere cannot apply it twice.
    /// </summary>
    public bool Unsent { get; init; }
}
