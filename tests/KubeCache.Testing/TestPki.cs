using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace KubeCache.Testing;

/// <summary>The three PEM files a cert-manager Secret mounts: tls.crt, tls.key and ca.crt.</summary>
public sealed record TlsFiles(string CertFile, string KeyFile, string CaFile, X509Certificate2 Certificate);

/// <summary>
/// A throw-away certificate authority made in-process (ECDSA P-256, quick to generate) that
/// issues server certificates and writes them as PEM files in a temporary directory.
/// </summary>
public sealed class TestPki
{
    private readonly ECDsa _caKey;

    public TestPki(string name = "KubeCache Test CA")
    {
        _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + name, _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        Authority = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(30));
        Directory = System.IO.Directory.CreateTempSubdirectory("kvcache-pki-").FullName;
        CaFile = Path.Combine(Directory, "ca.crt");
        File.WriteAllText(CaFile, Authority.ExportCertificatePem());
    }

    public X509Certificate2 Authority { get; }

    public string Directory { get; }

    public string CaFile { get; }

    /// <summary>Issues a server certificate for loopback (IP 127.0.0.1, DNS localhost and <paramref name="dnsNames"/>) and writes its files into <paramref name="folder"/>.</summary>
    public TlsFiles Issue(string folder = "server", string subject = "kvcache", string[]? dnsNames = null, IPAddress[]? addresses = null)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + subject, key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (string dns in dnsNames ?? ["localhost"])
        {
            names.AddDnsName(dns);
        }

        foreach (IPAddress address in addresses ?? [IPAddress.Loopback])
        {
            names.AddIpAddress(address);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        byte[] serial = RandomNumberGenerator.GetBytes(12);
        using X509Certificate2 issued = request.Create(Authority, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), serial);
        X509Certificate2 withKey = issued.CopyWithPrivateKey(key);

        string directory = Path.Combine(Directory, folder);
        System.IO.Directory.CreateDirectory(directory);
        var files = new TlsFiles(Path.Combine(directory, "tls.crt"), Path.Combine(directory, "tls.key"), CaFile, withKey);
        Write(files.CertFile, issued.ExportCertificatePem());
        Write(files.KeyFile, key.ExportPkcs8PrivateKeyPem());
        return files;
    }

    /// <summary>Overwrites <paramref name="target"/>'s certificate and key with <paramref name="source"/>'s, as a Secret update does.</summary>
    public static void Replace(TlsFiles target, TlsFiles source)
    {
        Write(target.KeyFile, File.ReadAllText(source.KeyFile));
        Write(target.CertFile, File.ReadAllText(source.CertFile));
    }

    /// <summary>Accepts a server certificate only when it chains to this authority (what a client given ca.crt does).</summary>
    public bool Trusts(X509Certificate2? certificate)
    {
        if (certificate is null)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    public RemoteCertificateValidationCallback Validation => (_, certificate, _, _) => Trusts(certificate as X509Certificate2);

    /// <summary>An HttpClient that trusts this authority only, and records the certificate each connection was served.</summary>
    public HttpClient CreateHttpClient(Action<X509Certificate2>? served = null) => new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.Zero,
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                var leaf = (X509Certificate2)certificate!;
                served?.Invoke(leaf);
                return Trusts(leaf);
            },
        },
    })
    { Timeout = RespTestClient.ReplyTimeout };

    private static void Write(string path, string text)
    {
        // Write then rename, so a reader polling the file never sees half of it.
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }
}
