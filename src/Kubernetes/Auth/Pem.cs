using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace KubeCache.Kubernetes.Auth;

/// <summary>Loads PEM certificates and keys, with errors that name where they came from.</summary>
internal static class Pem
{
    public static X509Certificate2Collection LoadCertificates(string pem, string origin)
    {
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPem(pem);
        }
        catch (CryptographicException e)
        {
            ThrowHelper.ThrowConfiguration($"{origin} does not hold PEM certificates: {e.Message}", e);
        }
        if (certificates.Count == 0)
        {
            ThrowHelper.ThrowConfiguration($"{origin} holds no PEM certificate.");
        }
        return certificates;
    }

    /// <summary>
    /// A certificate with its private key, usable for TLS client authentication. The PKCS#12
    /// round trip gives the key a form every platform's TLS stack accepts (an ephemeral PEM key
    /// is refused on Windows).
    /// </summary>
    public static X509Certificate2 LoadClientCertificate(string certPem, string keyPem, string origin)
    {
        try
        {
            using var ephemeral = X509Certificate2.CreateFromPem(certPem, keyPem);
            return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
        }
        catch (CryptographicException e)
        {
            return ThrowHelper.ThrowConfiguration<X509Certificate2>($"{origin}: the client certificate and key do not load as PEM: {e.Message}", e);
        }
        catch (ArgumentException e)
        {
            return ThrowHelper.ThrowConfiguration<X509Certificate2>($"{origin}: the client certificate and key do not load as PEM: {e.Message}", e);
        }
    }
}
