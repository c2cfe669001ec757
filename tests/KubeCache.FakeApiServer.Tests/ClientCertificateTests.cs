using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using KubeCache.FakeApiServer.Auth;
using KubeCache.FakeApiServer.Tests.Support;

namespace KubeCache.FakeApiServer.Tests;

/// <summary>Authentication by client certificate over HTTPS, checked on each request as the apiserver's x509 authenticator does.</summary>
public sealed class ClientCertificateTests : IAsyncLifetime
{
    private static readonly UserInfo Jane = new("jane", [UserInfo.MastersGroup, "system:authenticated"]);
    private FakeApiServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeApiServer.StartAsync(new FakeApiServerOptions { Rbac = true, UseHttps = true });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Request_CertificateOfTheClientCa_AuthenticatedAsItsCommonNameWithItsGroups()
    {
        using var client = ClientWith(Load(_server.IssueClientCertificate(Jane, TimeSpan.FromMinutes(5))));

        Assert.Equal(HttpStatusCode.OK, (await client.GetJsonAsync(Paths.ConfigMaps)).Status);
        Assert.Contains(Jane.Name, _server.Users);
    }

    [Fact]
    public async Task Request_ExpiredCertificate_401()
    {
        using var client = ClientWith(Load(_server.IssueClientCertificate(Jane, TimeSpan.FromSeconds(-30))));

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetJsonAsync("/api")).Status);
    }

    [Fact]
    public async Task Request_CertificateOfAnotherCa_401()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("O=system:masters, CN=jane", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var stranger = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(5));
        using var client = ClientWith(X509CertificateLoader.LoadPkcs12(stranger.Export(X509ContentType.Pkcs12), null));

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetJsonAsync("/api")).Status);
    }

    private static X509Certificate2 Load((string CertificatePem, string KeyPem) issued)
    {
        using var pem = X509Certificate2.CreateFromPem(issued.CertificatePem, issued.KeyPem);
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>A client that trusts the server's certificate and presents <paramref name="certificate"/>, with no token.</summary>
    private HttpClient ClientWith(X509Certificate2 certificate)
    {
        var expected = _server.Certificate!.Thumbprint;
        var handler = new SocketsHttpHandler();
        handler.SslOptions.ClientCertificates = [certificate];
        handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, _) => cert is not null && cert.GetCertHashString() == expected;
        return new HttpClient(handler) { BaseAddress = _server.BaseAddress };
    }
}
