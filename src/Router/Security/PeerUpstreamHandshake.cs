using KubeCache.Router.Upstream;
using KubeCache.Security.Tls;

namespace KubeCache.Router.Security;

/// <summary>The router's upstream handshake: the shared <see cref="PeerConnector"/> (TLS with --peer-tls, AUTH when keys are configured).</summary>
internal sealed class PeerUpstreamHandshake(PeerConnector peers) : IUpstreamHandshake
{
    /// <summary>The handshake, or null when connecting needs nothing beyond TCP (the upstream path stays as it was).</summary>
    public static IUpstreamHandshake? For(PeerConnector peers) => peers.HasHandshake ? new PeerUpstreamHandshake(peers) : null;

    public string Target(string address) => peers.Target(address);

    public ValueTask<Stream> HandshakeAsync(string nodeName, string host, Stream network, CancellationToken cancellationToken) =>
        peers.HandshakeAsync(network, host, nodeName, cancellationToken);
}
