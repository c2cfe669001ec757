using System.IO.Pipelines;
using System.Net.Security;
using System.Security.Authentication;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace KubeCache.Security.Tls;

/// <summary>
/// Connection middleware for the TLS listeners: completes a server handshake with the current
/// certificate of <see cref="CertificateSource"/> and hands the decrypted connection to the next
/// step (the HTTP/RESP sniffer or the RESP handler), which then cannot tell it from a plain one.
/// </summary>
public static class TlsConnections
{
    /// <summary>Longest wait for a client's handshake, so idle sockets cannot hold a listener's slots.</summary>
    public static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    public static ConnectionDelegate Wrap(ConnectionDelegate next, CertificateSource certificates, ILogger logger) => async connection =>
    {
        IDuplexPipe original = connection.Transport;
        var ssl = new SslStream(new DuplexPipeStream(original), leaveInnerStreamOpen: false);
        await using (ssl.ConfigureAwait(false))
        {
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed))
            {
                timeout.CancelAfter(HandshakeTimeout);
                try
                {
                    await ssl.AuthenticateAsServerAsync(
                        new SslServerAuthenticationOptions { ServerCertificateContext = certificates.Current, ClientCertificateRequired = false },
                        timeout.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException)
                {
                    Log.HandshakeFailed(logger, connection.RemoteEndPoint?.ToString(), e.Message);
                    return;
                }
            }

            PipeReader input = PipeReader.Create(ssl, new StreamPipeReaderOptions(leaveOpen: true));
            PipeWriter output = PipeWriter.Create(ssl, new StreamPipeWriterOptions(leaveOpen: true));
            connection.Transport = new DuplexPipe(input, output);
            try
            {
                await next(connection).ConfigureAwait(false);
            }
            finally
            {
                await input.CompleteAsync().ConfigureAwait(false);
                await output.CompleteAsync().ConfigureAwait(false);
                connection.Transport = original;
            }
        }
    };

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
