using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using KubeCache.Security.Tls;
using KubeCache.Testing;

namespace KubeCache.Security.Tests;

public class PeerCertificateValidatorTests
{
    private static readonly TestPki Pki = new();

    [Fact]
    public void Validate_IpSanOfTheAddress_IsAccepted()
    {
        X509Certificate2 leaf = Pki.Issue("ip", dnsNames: [], addresses: [IPAddress.Parse("10.4.0.12")]).Certificate;

        Assert.True(Validate(leaf, "10.4.0.12", "demo-0"));
        Assert.False(Validate(leaf, "10.4.0.13", "demo-0"));
    }

    [Theory]
    [InlineData("demo-0.demo-nodes.ns.svc.cluster.local")]
    [InlineData("demo-0")]
    public void Validate_DnsSanNamingTheNode_IsAcceptedForAPodIp(string san)
    {
        X509Certificate2 leaf = Pki.Issue("dns-" + san, dnsNames: [san], addresses: []).Certificate;

        Assert.True(Validate(leaf, "10.4.0.12", "demo-0"));
        Assert.False(Validate(leaf, "10.4.0.12", "demo-1"));
    }

    /// <summary>Regression: one cert-manager Certificate for the headless Service (one Secret for every pod) was refused.</summary>
    [Fact]
    public void Validate_WildcardOfTheHeadlessServiceFromTheOwnCa_IsAcceptedForEveryNode()
    {
        X509Certificate2 leaf = Pki.Issue("wildcard", dnsNames: ["*.demo-nodes.ns.svc.cluster.local"], addresses: []).Certificate;

        Assert.True(Validate(leaf, "10.4.0.12", "demo-0"));
        Assert.True(Validate(leaf, "10.4.0.13", "demo-1"));
    }

    /// <summary>Regression: without --tls-ca-file any publicly trusted certificate whose name began with the node's was accepted.</summary>
    [Theory]
    [InlineData("demo-0.attacker.example")]
    [InlineData("*.attacker.example")]
    public void Validate_SystemRootsOnly_ANameThatMerelyStartsWithTheNodeIsRejected(string san)
    {
        X509Certificate2 leaf = Pki.Issue("public-" + san, dnsNames: [san], addresses: []).Certificate;

        // As a system root would have vouched for it: no chain errors, no private authority.
        Assert.False(PeerCertificateValidator.Validate(leaf, null, SslPolicyErrors.None, authorities: null, "10.4.0.12", "demo-0"));
    }

    [Fact]
    public void Validate_SystemRootsOnly_TheHostItselfIsAccepted()
    {
        X509Certificate2 leaf = Pki.Issue("public-host", dnsNames: ["cache.example.com"], addresses: []).Certificate;

        Assert.True(PeerCertificateValidator.Validate(leaf, null, SslPolicyErrors.None, authorities: null, "cache.example.com", "demo-0"));
    }

    [Fact]
    public void Validate_CertificateOfAnotherCa_IsRejected()
    {
        X509Certificate2 foreign = new TestPki("Other CA").Issue(addresses: [IPAddress.Loopback]).Certificate;

        Assert.False(Validate(foreign, "127.0.0.1", "a"));
    }

    [Fact]
    public void Validate_NoCertificate_IsRejected()
    {
        Assert.False(PeerCertificateValidator.Validate(null, null, SslPolicyErrors.RemoteCertificateNotAvailable, [Pki.Authority], "127.0.0.1", "a"));
    }

    private static bool Validate(X509Certificate2 leaf, string host, string node) =>
        PeerCertificateValidator.Validate(leaf, null, SslPolicyErrors.None, [Pki.Authority], host, node);
}
