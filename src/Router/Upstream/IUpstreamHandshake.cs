namespace KubeCache.Router.Upstream;

/// <summary>
/// What runs on a new connection to a node before it carries requests (TLS, AUTH), kept out of
/// <see cref="UpstreamConnection"/> so the connection only knows it gets a stream.
/// </summary>
public interface IUpstreamHandshake
{
    /// <summary>Where to connect for a node whose ring RESP address is <paramref name="address"/> (another port for TLS).</summary>
    string Target(string address);

    /// <summary>Runs the handshake on the connected <paramref name="network"/> stream and returns the stream to use from then on.</summary>
    /// <param name="nodeName">The node's ring name.</param>
    /// <param name="host">The host part of the address connected to.</param>
    /// <param name="network">The connected TCP stream.</param>
    /// <param name="cancellationToken">The request timeout (<see cref="UpstreamOptions.RequestTimeout"/>).</param>
    ValueTask<Stream> HandshakeAsync(string nodeName, string host, Stream network, CancellationToken cancellationToken);
}
