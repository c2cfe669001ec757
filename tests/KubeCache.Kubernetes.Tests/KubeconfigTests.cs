using System.Text;
using KubeCache.Kubernetes.Models;
using KubeCache.Kubernetes.Tests.Support;

namespace KubeCache.Kubernetes.Tests;

public sealed class KubeconfigTests
{
    private static KubernetesConfigSources Sources(string home, string? kubeconfigEnv = null) => new()
    {
        HomeDirectory = home,
        GetEnvironmentVariable = name => name == "KUBECONFIG" ? kubeconfigEnv : null,
    };

    private static string Kubeconfig(string server, string user, string clusterExtra = "", string current = "main", string ns = "team-a") => $"""
        apiVersion: v1
        kind: Config
        current-context: {current}
        clusters:
        - name: c1
          cluster:
            server: {server}
        {clusterExtra}
        - name: other
          cluster:
            server: https://other.example:6443
        contexts:
        - name: main
          context:
            cluster: c1
            user: u1
            namespace: {ns}
        - name: second
          context:
            cluster: other
            user: u1
        users:
        - name: u1
          user:
        {user}
        """;

    [Fact]
    public void FromKubeconfig_CurrentContext_PicksItsClusterAndNamespace()
    {
        using var dir = new TempDir();
        string path = dir.Write("config", Kubeconfig("https://10.0.0.1:6443", "    token: abc"));

        KubernetesConfig config = KubernetesConfig.FromKubeconfig(path, sources: Sources(dir.Path));

        Assert.Equal(new Uri("https://10.0.0.1:6443"), config.Server);
        Assert.Equal("team-a", config.Namespace);
        Assert.False(config.InsecureSkipTlsVerify);
    }

    [Fact]
    public void FromKubeconfig_NamedContextWithoutNamespace_UsesItsClusterAndDefaultNamespace()
    {
        using var dir = new TempDir();
        string path = dir.Write("config", Kubeconfig("https://10.0.0.1:6443", "    token: abc"));

        KubernetesConfig config = KubernetesConfig.FromKubeconfig(path, "second", Sources(dir.Path));

        Assert.Equal(new Uri("https://other.example:6443"), config.Server);
        Assert.Equal("default", config.Namespace);
    }

    [Fact]
    public void FromKubeconfig_KubeconfigIsPathList_UsesFirstFile()
    {
        using var dir = new TempDir();
        string first = dir.Write("a/config", Kubeconfig("https://first:6443", "    token: abc"));
        string second = dir.Write("b/config", Kubeconfig("https://second:6443", "    token: abc"));

        KubernetesConfig config = KubernetesConfig.FromKubeconfig(sources: Sources(dir.Path, first + Path.PathSeparator + second));

        Assert.Equal("first", config.Server.Host);
    }

    [Fact]
    public void FromKubeconfig_KubeconfigUnset_ReadsHomeKubeConfig()
    {
        using var dir = new TempDir();
        dir.Write(".kube/config", Kubeconfig("https://home:6443", "    token: abc"));

        KubernetesConfig config = KubernetesConfig.FromKubeconfig(sources: Sources(dir.Path));

        Assert.Equal("home", config.Server.Host);
    }

    [Fact]
    public void FromKubeconfig_UnknownContext_ThrowsNamingIt()
    {
        using var dir = new TempDir();
        string path = dir.Write("config", Kubeconfig("https://h:6443", "    token: abc", current: "missing"));

        var error = Assert.Throws<KubernetesConfigurationException>(() => KubernetesConfig.FromKubeconfig(path, sources: Sources(dir.Path)));

        Assert.Contains("'missing'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromKubeconfig_MissingFile_ThrowsNamingIt()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "nope");

        var error = Assert.Throws<KubernetesConfigurationException>(() => KubernetesConfig.FromKubeconfig(path, sources: Sources(dir.Path)));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromKubeconfig_InvalidYaml_ThrowsConfigurationError()
    {
        using var dir = new TempDir();
        string path = dir.Write("config", "clusters: [unclosed");

        Assert.Throws<KubernetesConfigurationException>(() => KubernetesConfig.FromKubeconfig(path, sources: Sources(dir.Path)));
    }

    [Fact]
    public void FromKubeconfig_CertificateFieldsAsData_LoadCaClientCertAndServerName()
    {
        using var dir = new TempDir();
        using var certs = new TestCertificates();
        (string certPem, string keyPem) = certs.IssueClientPem("alice");
        string b64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));
        string path = dir.Write("config", Kubeconfig("https://10.0.0.1:6443",
            $"    client-certificate-data: {b64(certPem)}\n    client-key-data: {b64(keyPem)}",
            $"    certificate-authority-data: {b64(certs.CaPem)}\n    tls-server-name: kubernetes.default.svc\n    insecure-skip-tls-verify: true"));

        KubernetesConfig config = KubernetesConfig.FromKubeconfig(path, sources: Sources(dir.Path));

        Assert.Equal(certs.Ca.Thumbprint, Assert.Single(config.CertificateAuthority!).Thumbprint);
        Assert.Equal("CN=alice", config.ClientCertificate!.Subject);
        Assert.True(config.ClientCertificate.HasPrivateKey);
        Assert.Equal("kubernetes.default.svc", config.TlsServerName);
        Assert.True(config.InsecureSkipTlsVerify);
    }

    [Fact]
    public void FromKubeconfig_RelativeFilePaths_ResolveAgainstKubeconfigDirectory()
    {
        using var dir = new TempDir();
        using var certs = new TestCertificates();
        (string certPem, string keyPem) = certs.IssueClientPem("bob");
        dir.Write("kube/pki/ca.crt", certs.CaPem);
        dir.Write("kube/pki/bob.crt", certPem);
        dir.Write("kube/pki/bob.key", keyPem);
        string path = dir.Write("kube/config", Kubeconfig("https://10.0.0.1:6443",
            "    client-certificate: pki/bob.crt\n    client-key: pki/bob.key",
            "    certificate-authority: pki/ca.crt"));

        // The process's working directory is elsewhere; only the kubeconfig's directory makes these paths work.
        KubernetesConfig config = KubernetesConfig.FromKubeconfig(path, sources: Sources(dir.Path));

        Assert.Equal(certs.Ca.Thumbprint, Assert.Single(config.CertificateAuthority!).Thumbprint);
        Assert.Equal("CN=bob", config.ClientCertificate!.Subject);
    }

    [Fact]
    public void FromKubeconfig_CertificateWithoutKey_Throws()
    {
        using var dir = new TempDir();
        using var certs = new TestCertificates();
        dir.Write("bob.crt", certs.IssueClientPem("bob").CertPem);
        string path = dir.Write("config", Kubeconfig("https://h:6443", "    client-certificate: bob.crt"));

        Assert.Throws<KubernetesConfigurationException>(() => KubernetesConfig.FromKubeconfig(path, sources: Sources(dir.Path)));
    }

    [Fact]
    public async Task FromKubeconfig_Token_SentAsBearer()
    {
        await using var server = await ScriptedApiServer.StartAsync((ctx, _) => Reply.Json(ctx, Reply.ConfigMap("a", "1")));
        using var dir = new TempDir();
        string path = dir.Write("config", Kubeconfig(server.Uri.ToString(), "    token: s3cret"));
        using var client = new KubernetesClient(KubernetesConfig.FromKubeconfig(path, sources: Sources(dir.Path)));

        await client.GetAsync(ApiResource.ConfigMaps, null, "a", KubernetesJsonContext.Default.ConfigMap);

        RecordedRequest request = Assert.Single(server.Requests);
        Assert.Equal("Bearer s3cret", request.Authorization);
        Assert.Equal("/api/v1/namespaces/team-a/configmaps/a", request.Path);
    }

    [Fact]
    public async Task FromKubeconfig_RelativeTokenFileRotated_ReReadAfter401()
    {
        using var dir = new TempDir();
        string tokenFile = dir.Write("kube/token", "old-token\n");
        await using var server = await ScriptedApiServer.StartAsync((ctx, req) =>
            req.Authorization == "Bearer new-token" ? Reply.Json(ctx, Reply.ConfigMap("a", "1")) : Reply.Status(ctx, 401, "Unauthorized", "Unauthorized"));
        string path = dir.Write("kube/config", Kubeconfig(server.Uri.ToString(), "    tokenFile: token"));
        using var client = new KubernetesClient(KubernetesConfig.FromKubeconfig(path, sources: Sources(dir.Path)));
        var first = await Assert.ThrowsAsync<KubernetesApiException>(() => client.GetAsync(ApiResource.ConfigMaps, null, "a", KubernetesJsonContext.Default.ConfigMap));
        Assert.Equal(401, first.Status.Code);

        File.WriteAllText(tokenFile, "new-token\n");
        ConfigMap map = await client.GetAsync(ApiResource.ConfigMaps, null, "a", KubernetesJsonContext.Default.ConfigMap);

        Assert.Equal("a", map.Metadata.Name);
        // The cached old token is tried once more (it is under a minute old); its 401 makes the client re-read the file and retry.
        Assert.Equal(["Bearer old-token", "Bearer old-token", "Bearer new-token"], server.Requests.Select(r => r.Authorization));
    }
}
