using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace KubeCache.Kubernetes.Auth;

/// <summary>
/// Checks the API server's certificate the way kubeconfig describes: against the given CA
/// (not the system store) when there is one, and for <c>tls-server-name</c> instead of the URL's
/// host when that is set.
/// </summary>
internal static class TlsValidation
{
    public static bool Validate(KubernetesConfig config, string expectedHost, X509Certificate2? certificate, X509Chain? presented, SslPolicyErrors errors)
    {
        if (config.InsecureSkipTlsVerify)
        {
            return true;
        }
        if (certificate is null)
        {
            return false;
        }
        if (config.CertificateAuthority is { } authority)
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(authority);
            // Cluster CAs publish no revocation lists.
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (presented is not null)
            {
                foreach (X509ChainElement element in presented.ChainElements)
                {
                    chain.ChainPolicy.ExtraStore.Add(element.Certificate);
                }
            }
            if (!chain.Build(certificate))
            {
                return false;
            }
        }
        else if ((errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) != SslPolicyErrors.None)
        {
            return false;
        }
        return certificate.MatchesHostname(expectedHost);
    }
}
