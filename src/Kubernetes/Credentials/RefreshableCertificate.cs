using System.Security.Cryptography.X509Certificates;
using k8s.KubeConfigModels;

namespace KubeCache.Kubernetes.Credentials;

/// <summary>
/// The client certificate an exec plugin prints, which KubernetesClient reads once and keeps for
/// good: here the plugin runs again shortly before the certificate (or the plugin's stated
/// expiry) runs out, and after the server refuses it. A handler's ClientCertificates are fixed
/// once it has sent, so <see cref="Install"/> gives the handler none: each new TLS connection
/// presents the current certificate through the LocalCertificateSelectionCallback, and a new
/// certificate closes every connection the handler opened (as client-go's rotating dialer does),
/// so the next requests connect again and present it.
/// </summary>
internal sealed class RefreshableCertificate : IRenewableCredential
{
    private readonly Func<(X509Certificate2 Certificate, DateTimeOffset Due)> _fetch;
    private readonly TimeProvider _time;
    private readonly OpenConnections _connections = new();
    private readonly Lock _lock = new();
    private X509Certificate2? _certificate;
    private DateTimeOffset _due;
    private int _generation;

    private RefreshableCertificate(Func<(X509Certificate2 Certificate, DateTimeOffset Due)> fetch, TimeProvider time)
    {
        _fetch = fetch;
        _time = time;
    }

    /// <summary>The certificate and key <paramref name="exec"/> prints.</summary>
    public static RefreshableCertificate FromExec(ExternalExecution exec, TimeProvider? time = null) =>
        new(() =>
        {
            (ExecCredentialResponse.ExecStatus status, DateTimeOffset? stated) = ExecPlugin.Run(exec);
            if (status.ClientCertificateData is null || status.ClientKeyData is null)
            {
                throw ThrowHelper.Configuration($"The exec plugin {exec.Command} printed no client certificate and key.");
            }

            X509Certificate2 certificate = Load(status.ClientCertificateData, status.ClientKeyData);
            DateTimeOffset due = ExecPlugin.DueBefore(new DateTimeOffset(certificate.NotAfter.ToUniversalTime()));
            return (certificate, stated < due ? stated.Value : due);
        }, time ?? TimeProvider.System);

    /// <summary>A <c>FirstMessageHandlerSetup</c>: the handler presents this certificate on every connection it opens.</summary>
    public void Install(SocketsHttpHandler handler)
    {
        handler.SslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) => Latest();
        handler.ConnectCallback = _connections.ConnectAsync;
    }

    /// <summary>The generation of the certificate the request's connection presents.</summary>
    public object? Presented(HttpRequestMessage request) => Current().Generation;

    public bool Renew(HttpRequestMessage request, object presented)
    {
        int refused = (int)presented;
        lock (_lock)
        {
            if (_generation == refused)
            {
                _due = DateTimeOffset.MinValue;
            }
        }

        return Current().Generation != refused;
    }

    private (X509Certificate2 Certificate, int Generation) Current()
    {
        lock (_lock)
        {
            if (_certificate is null || _time.GetUtcNow() >= _due)
            {
                bool replacing = _certificate is not null;
                (_certificate, _due) = _fetch();
                _generation++;
                if (replacing)
                {
                    _connections.CloseAll();
                }
            }

            return (_certificate, _generation);
        }
    }

    // The handshake of a connection never renews: that would close the connection itself.
    private X509Certificate2 Latest()
    {
        lock (_lock)
        {
            if (_certificate is not null)
            {
                return _certificate;
            }
        }

        return Current().Certificate;
    }

    // SslStream needs the key in a form it can use on every platform: round-trip through PKCS#12.
    private static X509Certificate2 Load(string certificatePem, string keyPem)
    {
        using X509Certificate2 pem = X509Certificate2.CreateFromPem(certificatePem, keyPem);
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }
}
