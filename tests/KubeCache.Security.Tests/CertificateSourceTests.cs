using KubeCache.Configuration;
using KubeCache.Security.Tls;
using KubeCache.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeCache.Security.Tests;

public class CertificateSourceTests
{
    private static readonly TimeSpan NoPolling = TimeSpan.FromHours(1);

    [Fact]
    public void Constructor_CertManagerFiles_ServesTheLeafAndKnowsTheCa()
    {
        var pki = new TestPki();
        TlsFiles files = pki.Issue();

        using var source = new CertificateSource(files.CertFile, files.KeyFile, files.CaFile, NoPolling, NullLogger.Instance);

        Assert.Equal(files.Certificate.Thumbprint, source.Current.TargetCertificate.Thumbprint);
        Assert.True(source.Current.TargetCertificate.HasPrivateKey);
        Assert.Equal(pki.Authority.Thumbprint, Assert.Single(source.Authorities!).Thumbprint);
    }

    [Fact]
    public void Reload_FilesReplaced_SwapsTheCertificate()
    {
        var pki = new TestPki();
        TlsFiles files = pki.Issue();
        using var source = new CertificateSource(files.CertFile, files.KeyFile, files.CaFile, NoPolling, NullLogger.Instance);
        TlsFiles renewed = pki.Issue("renewed");

        TestPki.Replace(files, renewed);

        Assert.True(source.Reload());
        Assert.Equal(renewed.Certificate.Thumbprint, source.Current.TargetCertificate.Thumbprint);
        Assert.False(source.Reload());
    }

    [Fact]
    public void Reload_KeyOfAnotherCertificate_KeepsThePreviousOne()
    {
        var pki = new TestPki();
        TlsFiles files = pki.Issue();
        using var source = new CertificateSource(files.CertFile, files.KeyFile, null, NoPolling, NullLogger.Instance);
        TlsFiles other = pki.Issue("other");

        // Half a rotation: the certificate is new, the key still the old one.
        File.Copy(other.CertFile, files.CertFile, overwrite: true);

        Assert.False(source.Reload());
        Assert.Equal(files.Certificate.Thumbprint, source.Current.TargetCertificate.Thumbprint);
    }

    [Fact]
    public void Constructor_MismatchedKey_FailsNamingTheFlag()
    {
        var pki = new TestPki();
        TlsFiles files = pki.Issue();
        TlsFiles other = pki.Issue("other");

        OptionException error = Assert.Throws<OptionException>(() => new CertificateSource(files.CertFile, other.KeyFile, null, NoPolling, NullLogger.Instance));

        Assert.Equal("--tls-cert-file", error.Flag);
    }
}
