using System.Text.Json;
using KubeCache.Kubernetes.Models;
using KubeCache.Kubernetes.Tests.Support;

namespace KubeCache.Kubernetes.Tests;

/// <summary>Credential plugins are small shell scripts that count their runs and record what they were given.</summary>
public sealed class ExecCredentialTests
{
    private static string Plugin(TempDir dir, string expiration, string kind = "ExecCredential")
    {
        string script = $$$"""
            #!/bin/sh
            echo run >> "$(dirname "$0")/runs"
            n=$(wc -l < "$(dirname "$0")/runs" | tr -d ' ')
            printf '%s' "$KUBERNETES_EXEC_INFO" > "$(dirname "$0")/exec-info.json"
            printf '%s %s' "$1" "$PLUGIN_GREETING" > "$(dirname "$0")/args"
            printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"{{{kind}}}","status":{"token":"tok-%s"{{{expiration}}}}}' "$n"
            """;
        string path = dir.Write("bin/plugin.sh", script.ReplaceLineEndings("\n"));
        // The plugins are POSIX shell scripts; CI and the images are Linux.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return path;
    }

    private static readonly string CaData = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(new TestCertificates().CaPem));

    private static string Kubeconfig(Uri server, string interactiveMode = "interactiveMode: Never") => $"""
        current-context: main
        clusters:
        - name: c1
          cluster:
            server: {server}
            certificate-authority-data: {CaData}
        contexts:
        - name: main
          context:
            cluster: c1
            user: u1
        users:
        - name: u1
          user:
            exec:
              apiVersion: client.authentication.k8s.io/v1
              command: ./bin/plugin.sh
              args: [first-arg]
              env:
              - name: PLUGIN_GREETING
                value: hello
              {interactiveMode}
              provideClusterInfo: true
        """;

    private static int Runs(TempDir dir) => File.ReadAllLines(Path.Combine(dir.Path, "bin", "runs")).Length;

    private static KubernetesClient Client(TempDir dir, Uri server, string kubeconfig)
    {
        string path = dir.Write("config", kubeconfig);
        KubernetesConfig loaded = KubernetesConfig.FromKubeconfig(path, sources: new KubernetesConfigSources { HomeDirectory = dir.Path });
        // The CA in the kubeconfig only feeds KUBERNETES_EXEC_INFO; the scripted server is plain HTTP.
        return new KubernetesClient(new KubernetesConfig { Server = loaded.Server, Credentials = loaded.Credentials });
    }

    [Fact]
    public async Task Exec_Plugin_GetsExecInfoArgsAndEnvAndItsTokenIsSent()
    {
        using var dir = new TempDir();
        Plugin(dir, "");
        await using var server = await ScriptedApiServer.StartAsync((ctx, _) => Reply.Json(ctx, Reply.ConfigMap("a", "1")));
        using KubernetesClient client = Client(dir, server.Uri, Kubeconfig(server.Uri));

        await client.GetAsync(ApiResource.ConfigMaps, "default", "a", KubernetesJsonContext.Default.ConfigMap);

        Assert.Equal("Bearer tok-1", Assert.Single(server.Requests).Authorization);
        using JsonDocument info = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "bin", "exec-info.json")));
        Assert.Equal("ExecCredential", info.RootElement.GetProperty("kind").GetString());
        Assert.Equal("client.authentication.k8s.io/v1", info.RootElement.GetProperty("apiVersion").GetString());
        JsonElement spec = info.RootElement.GetProperty("spec");
        Assert.False(spec.GetProperty("interactive").GetBoolean());
        Assert.Equal(server.Uri.ToString().TrimEnd('/'), spec.GetProperty("cluster").GetProperty("server").GetString());
        Assert.Equal(CaData, spec.GetProperty("cluster").GetProperty("certificate-authority-data").GetString());
        Assert.Equal("first-arg hello", File.ReadAllText(Path.Combine(dir.Path, "bin", "args")));
    }

    [Fact]
    public async Task Exec_CredentialNotExpired_PluginRunsOnce()
    {
        using var dir = new TempDir();
        Plugin(dir, ""","expirationTimestamp":"2999-01-01T00:00:00Z" """.Trim());
        await using var server = await ScriptedApiServer.StartAsync((ctx, _) => Reply.Json(ctx, Reply.ConfigMap("a", "1")));
        using KubernetesClient client = Client(dir, server.Uri, Kubeconfig(server.Uri));

        await client.GetAsync(ApiResource.ConfigMaps, "default", "a", KubernetesJsonContext.Default.ConfigMap);
        await client.GetAsync(ApiResource.ConfigMaps, "default", "a", KubernetesJsonContext.Default.ConfigMap);

        Assert.Equal(1, Runs(dir));
        Assert.All(server.Requests, r => Assert.Equal("Bearer tok-1", r.Authorization));
    }

    [Fact]
    public async Task Exec_CredentialExpired_PluginRunsAgain()
    {
        using var dir = new TempDir();
        Plugin(dir, ""","expirationTimestamp":"2001-01-01T00:00:00Z" """.Trim());
        await using var server = await ScriptedApiServer.StartAsync((ctx, _) => Reply.Json(ctx, Reply.ConfigMap("a", "1")));
        using KubernetesClient client = Client(dir, server.Uri, Kubeconfig(server.Uri));

        await client.GetAsync(ApiResource.ConfigMaps, "default", "a", KubernetesJsonContext.Default.ConfigMap);
        await client.GetAsync(ApiResource.ConfigMaps, "default", "a", KubernetesJsonContext.Default.ConfigMap);

        Assert.Equal(2, Runs(dir));
        Assert.Equal(["Bearer tok-1", "Bearer tok-2"], server.Requests.Select(r => r.Authorization));
    }

    [Fact]
    public async Task Exec_ServerSays401_PluginRerunsAndRequestIsRetried()
    {
        using var dir = new TempDir();
        Plugin(dir, "");
        await using var server = await ScriptedApiServer.StartAsync((ctx, req) =>
            req.Authorization == "Bearer tok-1" ? Reply.Status(ctx, 401, "Unauthorized", "token revoked") : Reply.Json(ctx, Reply.ConfigMap("a", "1")));
        using KubernetesClient client = Client(dir, server.Uri, Kubeconfig(server.Uri));

        ConfigMap map = await client.GetAsync(ApiResource.ConfigMaps, "default", "a", KubernetesJsonContext.Default.ConfigMap);

        Assert.Equal("a", map.Metadata.Name);
        Assert.Equal(2, Runs(dir));
        Assert.Equal(["Bearer tok-1", "Bearer tok-2"], server.Requests.Select(r => r.Authorization));
    }

    [Fact]
    public async Task Exec_PluginPrintsWrongKind_ThrowsConfigurationError()
    {
        using var dir = new TempDir();
        Plugin(dir, "", kind: "ExecCredentials");
        await using var server = await ScriptedApiServer.StartAsync((ctx, _) => Reply.Json(ctx, Reply.ConfigMap("a", "1")));
        using KubernetesClient client = Client(dir, server.Uri, Kubeconfig(server.Uri));

        var error = await Assert.ThrowsAsync<KubernetesConfigurationException>(() => client.GetAsync(ApiResource.ConfigMaps, "default", "a", KubernetesJsonContext.Default.ConfigMap));

        Assert.Contains("ExecCredentials", error.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void Exec_InteractiveModeMissing_ThrowsConfigurationError()
    {
        using var dir = new TempDir();
        string path = dir.Write("config", Kubeconfig(new Uri("https://h:6443"), interactiveMode: ""));

        var error = Assert.Throws<KubernetesConfigurationException>(() => KubernetesConfig.FromKubeconfig(path, sources: new KubernetesConfigSources { HomeDirectory = dir.Path }));

        Assert.Contains("interactiveMode", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_PluginGivesClientCertificate_PresentedInTlsHandshake()
    {
        using var dir = new TempDir();
        using var certs = new TestCertificates();
        (string certPem, string keyPem) = certs.IssueClientPem("plugin-user");
        string credential = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["apiVersion"] = "client.authentication.k8s.io/v1",
            ["kind"] = "ExecCredential",
            ["status"] = new Dictionary<string, string> { ["clientCertificateData"] = certPem, ["clientKeyData"] = keyPem },
        });
        dir.Write("bin/cred.json", credential);
        string plugin = dir.Write("bin/plugin.sh", "#!/bin/sh\ncat \"$(dirname \"$0\")/cred.json\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(plugin, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        await using var server = await ScriptedApiServer.StartAsync(
            (ctx, req) => req.ClientCertificate is null ? Reply.Status(ctx, 401, "Unauthorized", "no cert") : Reply.Json(ctx, Reply.ConfigMap("a", "1")),
            certs.IssueServer(loopbackIp: true), requireClientCertificate: true);
        string path = dir.Write("config", Kubeconfig(server.Uri).Replace(CaData, Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(certs.CaPem)), StringComparison.Ordinal));
        using var client = new KubernetesClient(KubernetesConfig.FromKubeconfig(path, sources: new KubernetesConfigSources { HomeDirectory = dir.Path }));

        await client.GetAsync(ApiResource.ConfigMaps, "default", "a", KubernetesJsonContext.Default.ConfigMap);

        RecordedRequest request = Assert.Single(server.Requests);
        Assert.Equal("CN=plugin-user", request.ClientCertificate!.Subject);
        Assert.Null(request.Authorization);
    }
}
