using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace KubeCache.FakeApiServer.Auth;

/// <summary>
/// Client certificates, as the apiserver's x509 authenticator checks them: on every request, not
/// at the handshake (the TLS layer accepts any certificate), against the cluster CA, for client
/// authentication, and at the time of the request, so a certificate that expires while its
/// connection stays open is refused from then on. The user is the subject's CN, its groups the Os.
/// Its CA is its own (the apiserver's client CA), not the serving certificate, whose usage is
/// limited to serving.
/// </summary>
internal sealed class ClientCertificateAuthenticator(TimeProvider time) : IDisposable
{
    private readonly X509Certificate2 _ca = CreateCa(time);

    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");
    private const string CommonNameOid = "2.5.4.3";
    private const string OrganizationOid = "2.5.4.10";

    /// <summary>The user <paramref name="certificate"/> stands for, or null when there is none or it is not valid now.</summary>
    public UserInfo? Authenticate(X509Certificate2? certificate)
    {
        if (certificate is null)
        {
            return null;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(ClientAuthentication);
        chain.ChainPolicy.VerificationTime = time.GetUtcNow().UtcDateTime;
        if (!chain.Build(certificate))
        {
            return null;
        }
        string? name = null;
        var groups = new List<string>();
        foreach (var rdn in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            switch (rdn.GetSingleElementType().Value)
            {
                case CommonNameOid:
                    name = rdn.GetSingleElementValue();
                    break;
                case OrganizationOid when rdn.GetSingleElementValue() is { } group:
                    groups.Add(group);
                    break;
            }
        }
        return name is null ? null : new UserInfo(name, [.. groups, "system:authenticated"]);
    }

    /// <summary>A client certificate for <paramref name="user"/> signed by the CA, valid from a minute ago for <paramref name="lifetime"/>, as PEM texts.</summary>
    public (string CertificatePem, string KeyPem) Issue(UserInfo user, TimeSpan lifetime)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        foreach (var group in user.Groups.Where(g => g != "system:authenticated"))
        {
            subject.AddOrganizationName(group);
        }
        subject.AddCommonName(user.Name);
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ClientAuthentication], false));
        var now = time.GetUtcNow();
        using var certificate = request.Create(_ca, now.AddMinutes(-1), now + lifetime, RandomNumberGenerator.GetBytes(16));
        return (certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    public void Dispose() => _ca.Dispose();

    private static X509Certificate2 CreateCa(TimeProvider time)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=kubecache-fake-client-ca", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        var now = time.GetUtcNow();
        return request.CreateSelfSigned(now.AddHours(-1), now.AddDays(1));
    }
}
