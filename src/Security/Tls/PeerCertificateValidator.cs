using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace KubeCache.Security.Tls;

/// <summary>
/// How a node's certificate is checked when this process connects to it. The chain must lead to
/// a certificate of --tls-ca-file (or, without one, to a system root) and allow server use. Pods
/// are reached by IP address, which a certificate issued before the pod started cannot name, so
/// the name check accepts any of: an IP SAN equal to the address connected to; a DNS SAN equal
/// to the host connected to or to the node's name; and, only for a chain that leads to
/// --tls-ca-file (the cluster's own issuer), a DNS SAN whose first label is the node's name
/// (<c>demo-0.demo-nodes.ns.svc.cluster.local</c> for node <c>demo-0</c>), which is what
/// cert-manager issues per StatefulSet pod, or whose first label is the wildcard
/// (<c>*.demo-nodes.ns.svc.cluster.local</c>), which one Certificate for the headless Service
/// carries, shared by every pod. A publicly trusted certificate must name the host itself:
/// anyone can get one for <c>demo-0.their-domain</c>.
/// </summary>
public static class PeerCertificateValidator
{
    private const string ServerAuthenticationOid = "1.3.6.1.5.5.7.3.1";

    /// <summary>
    /// True when <paramref name="presented"/> is accepted for the node <paramref name="nodeName"/>
    /// reached at <paramref name="host"/>, its chain checked against <paramref name="authorities"/>
    /// (--tls-ca-file's certificates; null trusts the system roots).
    /// </summary>
    public static bool Validate(X509Certificate? presented, X509Chain? presentedChain, SslPolicyErrors errors, X509Certificate2Collection? authorities, string host, string nodeName)
    {
        if (presented is null || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
        {
            return false;
        }

        var leaf = presented as X509Certificate2 ?? new X509Certificate2(presented);
        return ChainIsTrusted(leaf, presentedChain, errors, authorities) && NameMatches(leaf, host, nodeName, ownIssuer: authorities is not null);
    }

    private static bool ChainIsTrusted(X509Certificate2 leaf, X509Chain? presentedChain, SslPolicyErrors errors, X509Certificate2Collection? authorities)
    {
        if (authorities is null)
        {
            return (errors & SslPolicyErrors.RemoteCertificateChainErrors) == 0;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(ServerAuthenticationOid));
        if (presentedChain is not null)
        {
            foreach (X509ChainElement element in presentedChain.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return chain.Build(leaf);
    }

    private static bool NameMatches(X509Certificate2 leaf, string host, string nodeName, bool ownIssuer)
    {
        if (leaf.MatchesHostname(host, allowWildcards: true, allowCommonName: false)
            || leaf.MatchesHostname(nodeName, allowWildcards: false, allowCommonName: false))
        {
            return true;
        }

        if (!ownIssuer)
        {
            return false;
        }

        foreach (X509Extension extension in leaf.Extensions)
        {
            if (extension is X509SubjectAlternativeNameExtension names)
            {
                foreach (string dns in names.EnumerateDnsNames())
                {
                    if (dns.StartsWith(nodeName + ".", StringComparison.OrdinalIgnoreCase) || dns.StartsWith("*.", StringComparison.Ordinal))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }
}
