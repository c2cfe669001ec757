using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.KubeConfigModels;
using k8s.Models;
using KubeCache.FakeApiServer;
using KubeCache.Kubernetes.Credentials;
using KubeCache.Kubernetes.Tests.Support;

namespace KubeCache.Kubernetes.Tests;

/// <summary>
/// A token the API server stops accepting (the fake rotates a service account's token: the old
/// one is 401 from then on) is fetched again and the request retried once, before the library's
/// own re-read period or the plugin's expiry would renew it.
/// </summary>
public sealed class CredentialRefreshTests : IAsyncLifetime
{
    private const string Ns = "default";
    private const string Account = "app";

    private readonly TempDir _dir = new();
    private FakeApiServer.FakeApiServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await FakeApiServer.FakeApiServer.StartAsync(new FakeApiServerOptions { Rbac = true, UseHttps = true });

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task TokenFile_RotatedWithinTheRereadPeriod_RetriedOnceWithTheNewToken()
    {
        string tokenFile = _dir.Write("token", _server.ServiceAccountToken(Ns, Account));
        using IKubernetes client = KubernetesConnection.Create(WithTokenProvider(RefreshableToken.FromFile(tokenFile)));
        await client.CoreV1.GetAPIResourcesAsync();

        await File.WriteAllTextAsync(tokenFile, _server.RotateServiceAccountToken(Ns, Account));

        Assert.NotEmpty((await client.CoreV1.GetAPIResourcesAsync()).Resources);
    }

    [Fact]
    public async Task TokenFile_RotatedBeforeAWrite_RetrySendsTheBodyAgain()
    {
        GrantConfigMapCreate();
        string tokenFile = _dir.Write("token", _server.ServiceAccountToken(Ns, Account));
        using IKubernetes client = KubernetesConnection.Create(WithTokenProvider(RefreshableToken.FromFile(tokenFile)));
        await client.CoreV1.GetAPIResourcesAsync();

        await File.WriteAllTextAsync(tokenFile, _server.RotateServiceAccountToken(Ns, Account));
        await client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "written" }, Data = new Dictionary<string, string> { ["k"] = "v" } }, Ns);

        Assert.Equal("v", _server.Get("", "configmaps", Ns, "written")?["data"]?["k"]?.GetValue<string>());
    }

    [Fact]
    public async Task TokenFile_RefusedAndUnchanged_401WithoutRetryingAgain()
    {
        string tokenFile = _dir.Write("token", _server.ServiceAccountToken(Ns, Account));
        using IKubernetes client = KubernetesConnection.Create(WithTokenProvider(RefreshableToken.FromFile(tokenFile)));
        _server.RotateServiceAccountToken(Ns, Account);

        HttpOperationException refused = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.GetAPIResourcesAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, refused.Response.StatusCode);
    }

    [Fact]
    public async Task ExecPlugin_TokenRevokedBeforeItsExpiry_PluginRunAgainAndRequestRetried()
    {
        string tokenFile = _dir.Write("plugin-token", _server.ServiceAccountToken(Ns, Account));
        K8SConfiguration kubeconfig = KubernetesClientConfiguration.LoadKubeConfig(_server.WriteServiceAccountKubeconfig(Ns, Account, Path.Combine(_dir.Path, "sa")));
        // A plugin that states no expiry: the library would keep its first token for good.
        string plugin = _dir.Write("plugin", $$$"""
            printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s"}}' "$(cat '{{{tokenFile}}}')"
            """);
        UserCredentials user = kubeconfig.Users.Single().UserCredentials;
        user.Token = null;
        user.ExternalExecution = new ExternalExecution { ApiVersion = "client.authentication.k8s.io/v1", Command = "/bin/sh", Arguments = [plugin] };
        string path = _dir.Write("exec-kubeconfig", KubernetesYaml.Serialize(kubeconfig));
        KubernetesClientConfiguration config = KubernetesConnection.FromKubeconfig(path);
        using IKubernetes client = KubernetesConnection.Create(config);
        await client.CoreV1.GetAPIResourcesAsync();

        await File.WriteAllTextAsync(tokenFile, _server.RotateServiceAccountToken(Ns, Account));

        Assert.NotEmpty((await client.CoreV1.GetAPIResourcesAsync()).Resources);
    }

    private void GrantConfigMapCreate()
    {
        _server.Create(new JsonObject
        {
            ["apiVersion"] = "rbac.authorization.k8s.io/v1",
            ["kind"] = "Role",
            ["metadata"] = new JsonObject { ["name"] = "writer", ["namespace"] = Ns },
            ["rules"] = new JsonArray(new JsonObject { ["apiGroups"] = new JsonArray(""), ["resources"] = new JsonArray("configmaps"), ["verbs"] = new JsonArray("create") }),
        });
        _server.Create(new JsonObject
        {
            ["apiVersion"] = "rbac.authorization.k8s.io/v1",
            ["kind"] = "RoleBinding",
            ["metadata"] = new JsonObject { ["name"] = "writer", ["namespace"] = Ns },
            ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "Role", ["name"] = "writer" },
            ["subjects"] = new JsonArray(new JsonObject { ["kind"] = "ServiceAccount", ["name"] = Account, ["namespace"] = Ns }),
        });
    }

    /// <summary>The service account's kubeconfig (server, CA) with its token replaced by <paramref name="token"/>.</summary>
    private KubernetesClientConfiguration WithTokenProvider(RefreshableToken token)
    {
        KubernetesClientConfiguration config = KubernetesConnection.FromKubeconfig(_server.WriteServiceAccountKubeconfig(Ns, Account, Path.Combine(_dir.Path, "sa")));
        config.AccessToken = null;
        config.TokenProvider = token;
        return config;
    }
}
