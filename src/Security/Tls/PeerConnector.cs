using System.Buffers;
using System.Globalization;
using System.Net.Security;
using System.Security.Authentication;
using System.Text;
using KubeCache.Protocol;
using KubeCache.Security.Keys;

namespace KubeCache.Security.Tls;

/// <summary>
/// The steps after a TCP connect to another node's RESP address (router upstream connections,
/// node-to-node handoff): TLS when --peer-tls is set, verified by <see cref="PeerCertificateValidator"/>,
/// then <c>AUTH</c> with the first key of --auth-keys-file when authentication is on.
/// </summary>
public sealed class PeerConnector(SecurityOptions options, CertificateSource? certificates, ApiKeyStore keys)
{
    /// <summary>A connector that does nothing: plain, unauthenticated connections.</summary>
    public static PeerConnector None { get; } = new(new SecurityOptions(), null, new ApiKeyStore(null, TimeSpan.FromSeconds(1), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance));

    /// <summary>True when connecting needs more than TCP.</summary>
    public bool HasHandshake => options.PeerTls || keys.PeerKey is not null;

    /// <summary>Where to connect for a node whose ring RESP address is <paramref name="address"/> (<c>host:port</c>): the TLS port when --peer-tls-port is set.</summary>
    public string Target(string address)
    {
        if (!options.PeerTls || options.PeerTlsPort == 0)
        {
            return address;
        }

        int colon = address.LastIndexOf(':');
        return (colon > 0 ? address[..colon] : address) + ":" + options.PeerTlsPort.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Runs the handshake on a connected stream and returns the stream to use from then on (the TLS stream, or the same one).</summary>
    /// <param name="network">The connected TCP stream.</param>
    /// <param name="host">The host part of the address connected to (an IP address for pods).</param>
    /// <param name="nodeName">The node's ring name, which its certificate may carry instead of its address.</param>
    /// <param name="cancellationToken">Ends the handshake (the caller's connect timeout).</param>
    /// <exception cref="AuthenticationException">The certificate was not accepted, or the node refused the key.</exception>
    public async ValueTask<Stream> HandshakeAsync(Stream network, string host, string nodeName, CancellationToken cancellationToken)
    {
        Stream stream = network;
        if (options.PeerTls)
        {
            var ssl = new SslStream(network, leaveInnerStreamOpen: false);
            await ssl.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = host,
                    RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                        PeerCertificateValidator.Validate(certificate, chain, errors, certificates?.Authorities, host, nodeName),
                },
                cancellationToken).ConfigureAwait(false);
            stream = ssl;
        }

        if (keys.PeerKey is { } key)
        {
            await AuthenticateAsync(stream, key, nodeName, cancellationToken).ConfigureAwait(false);
        }

        return stream;
    }

    private static async Task AuthenticateAsync(Stream stream, string key, string nodeName, CancellationToken cancellationToken)
    {
        var request = new ArrayBufferWriter<byte>();
        RespCommandWriter.Write(request, "AUTH"u8, Encoding.UTF8.GetBytes(key));
        await stream.WriteAsync(request.WrittenMemory, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);

        // Nothing else is in flight yet, so everything read up to the reply's end is the reply.
        var received = new ArrayBufferWriter<byte>();
        while (true)
        {
            int read = await stream.ReadAsync(received.GetMemory(256), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new AuthenticationException($"node {nodeName} closed the connection during AUTH");
            }

            received.Advance(read);
            var buffer = new ReadOnlySequence<byte>(received.WrittenMemory);
            if (RespReplyReader.TryRead(ref buffer, out RespValue? reply) == RespReadStatus.Complete)
            {
                if (reply!.IsError)
                {
                    throw new AuthenticationException($"node {nodeName} refused this process's API key: {reply.AsString()}");
                }

                return;
            }
        }
    }
}
