using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using KubeCache.Kubernetes.Models;
using KubeCache.Kubernetes.Tests.Support;

namespace KubeCache.Kubernetes.Tests;

public sealed class TlsTests
{
    private static Task Ok(Microsoft.AspNetCore.Http.HttpContext ctx) => Reply.Json(ctx, Reply.ConfigMap("a", "1"));

    private static Task<ConfigMap> GetAsync(KubernetesClient client) =>
        client.GetAsync(ApiResource.ConfigMaps, "default", "a", KubernetesJsonContext.Default.ConfigMap);

    private static Uri Https(ScriptedApiServer server) => new UriBuilder(server.Uri) { Scheme = Uri.UriSchemeHttps }.Uri;

    [Fact]
    public async Task Get_ServerCertificateFromKubeconfigCa_Succeeds()
    {
        using var certs = new TestCertificates();
        await using var server = await ScriptedApiServer.StartAsync((ctx, _) => Ok(ctx), certs.IssueServer(loopbackIp: true, "localhost"));
        using var dir = new TempDir();
        string path = dir.Write("config", $"""
            current-context: c
            clusters: [{"{"}name: c, cluster: {"{"}server: "{server.Uri}", certificate-authority-data: {Convert.ToBase64String(Encoding.UTF8.GetBytes(certs.CaPem))}{"}}"}]
            contexts: [{"{"}name: c, context: {"{"}cluster: c{"}}"}]
            """);
        using var client = new KubernetesClient(KubernetesConfig.FromKubeconfig(path, sources: new KubernetesConfigSources { HomeDirectory = dir.Path }));

        ConfigMap map = await GetAsync(client);

        Assert.Equal("a", map.Metadata.Name);
        Assert.Equal(Uri.UriSchemeHttps, client.Config.Server.Scheme);
    }

    [Fact]
    public async Task Get_ServerCertificateFromUnknownCa_FailsHandshake()
    {
        using var certs = new TestCertificates();
        using var otherCa = new TestCertificates("other-ca");
        await using var server = await ScriptedApiServer.StartAsync((ctx, _) => Ok(ctx), certs.IssueServer(loopbackIp: true));
        using var client = new KubernetesClient(new KubernetesConfig { Server = Https(server), CertificateAuthority = [otherCa.Ca] });

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => GetAsync(client));

        Assert.IsType<AuthenticationException>(error.InnerException);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Get_UnknownCaWithInsecureSkipTlsVerify_Succeeds()
    {
        using var certs = new TestCertificates();
        await using var server = await ScriptedApiServer.StartAsync((ctx, _) => Ok(ctx), certs.IssueServer(loopbackIp: false, "elsewhere"));
        using var client = new KubernetesClient(new KubernetesConfig { Server = Https(server), InsecureSkipTlsVerify = true });

        Assert.Equal("a", (await GetAsync(client)).Metadata.Name);
    }

    [Fact]
    public async Task Get_CertificateForOtherName_FailsUnlessTlsServerNameMatches()
    {
        using var certs = new TestCertificates();
        await using var server = await ScriptedApiServer.StartAsync((ctx, _) => Ok(ctx), certs.IssueServer(loopbackIp: false, "kubernetes.default.svc"));
        using var plain = new KubernetesClient(new KubernetesConfig { Server = Https(server), CertificateAuthority = [certs.Ca] });
        using var named = new KubernetesClient(new KubernetesConfig
        {
            Server = Https(server),
            CertificateAuthority = [certs.Ca],
            TlsServerName = "kubernetes.default.svc",
        });

        await Assert.ThrowsAsync<HttpRequestException>(() => GetAsync(plain));
        Assert.Equal("a", (await GetAsync(named)).Metadata.Name);
    }

    [Fact]
    public async Task Get_ClientCertificateInKubeconfig_PresentedToServer()
    {
        using var certs = new TestCertificates();
        (string certPem, string keyPem) = certs.IssueClientPem("system:node:n1");
        await using var server = await ScriptedApiServer.StartAsync(
            (ctx, req) => req.ClientCertificate is null ? Reply.Status(ctx, 401, "Unauthorized", "no cert") : Ok(ctx),
            certs.IssueServer(loopbackIp: true), requireClientCertificate: true);
        using var dir = new TempDir();
        dir.Write("ca.crt", certs.CaPem);
        dir.Write("node.crt", certPem);
        dir.Write("node.key", keyPem);
        string path = dir.Write("config", $"""
            current-context: c
            clusters: [{"{"}name: c, cluster: {"{"}server: "{server.Uri}", certificate-authority: ca.crt{"}}"}]
            users: [{"{"}name: u, user: {"{"}client-certificate: node.crt, client-key: node.key{"}}"}]
            contexts: [{"{"}name: c, context: {"{"}cluster: c, user: u{"}}"}]
            """);
        using var client = new KubernetesClient(KubernetesConfig.FromKubeconfig(path, sources: new KubernetesConfigSources { HomeDirectory = dir.Path }));

        await GetAsync(client);

        X509Certificate2 presented = Assert.Single(server.Requests).ClientCertificate!;
        Assert.Equal("CN=system:node:n1", presented.Subject);
        Assert.Equal(certs.Ca.Subject, presented.Issuer);
    }

    [Fact]
    public async Task Get_ServerRequiresClientCertificateAndNoneConfigured_Fails()
    {
        using var certs = new TestCertificates();
        await using var server = await ScriptedApiServer.StartAsync((ctx, _) => Ok(ctx), certs.IssueServer(loopbackIp: true), requireClientCertificate: true);
        using var client = new KubernetesClient(new KubernetesConfig { Server = Https(server), CertificateAuthority = [certs.Ca] });

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => GetAsync(client));
        Assert.Empty(server.Requests);
    }
}
