using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.KubeConfigModels;
using KubeCache.FakeApiServer;
using KubeCache.FakeApiServer.Auth;
using KubeCache.Kubernetes.Tests.Support;

namespace KubeCache.Kubernetes.Tests;

/// <summary>
/// An exec plugin's client certificate that expires while the client runs (the fake API server
/// checks it on every request, by its clock, as the apiserver does) is replaced by the plugin's
/// next one: before its expiry, or after the server refuses it; the new certificate is presented
/// on new connections, the open ones being closed.
/// </summary>
public sealed class ClientCertificateRefreshTests : IAsyncLifetime
{
    private static readonly TimeSpan ShortLife = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan LongLife = TimeSpan.FromHours(1);

    private readonly TempDir _dir = new();
    private readonly ShiftableClock _serverClock = new();
    private FakeApiServer.FakeApiServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await FakeApiServer.FakeApiServer.StartAsync(new FakeApiServerOptions { Rbac = true, UseHttps = true, TimeProvider = _serverClock });

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task ExecPluginCertificate_ExpiresMidTest_RenewedBeforeItsExpiryAndCallsKeepSucceeding()
    {
        using IKubernetes client = KubernetesConnection.Create(KubernetesConnection.FromKubeconfig(ExecKubeconfig(ShortLife), _serverClock));
        await client.CoreV1.GetAPIResourcesAsync();
        Assert.Contains(UserInfo.Admin.Name, _server.Users);

        WriteCredential(LongLife);
        _serverClock.Advance(ShortLife * 2);

        Assert.NotEmpty((await client.CoreV1.GetAPIResourcesAsync()).Resources);
    }

    [Fact]
    public async Task ExecPluginCertificate_RefusedBeforeItsStatedExpiry_PluginRunAgainAndRequestRetried()
    {
        // The client's clock stays behind: only the server's 401 says the certificate has expired.
        using IKubernetes client = KubernetesConnection.Create(KubernetesConnection.FromKubeconfig(ExecKubeconfig(ShortLife), TimeProvider.System));
        await client.CoreV1.GetAPIResourcesAsync();

        _serverClock.Advance(ShortLife * 2);
        WriteCredential(LongLife);

        Assert.NotEmpty((await client.CoreV1.GetAPIResourcesAsync()).Resources);
    }

    [Fact]
    public async Task ExecPluginCertificate_RefusedAndPluginPrintsNoNewOne_401AfterOneRetry()
    {
        using IKubernetes client = KubernetesConnection.Create(KubernetesConnection.FromKubeconfig(ExecKubeconfig(ShortLife), TimeProvider.System));
        _serverClock.Advance(ShortLife * 2);

        HttpOperationException refused = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.GetAPIResourcesAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, refused.Response.StatusCode);
    }

    /// <summary>The administrator's kubeconfig whose user is an exec plugin printing the credential file, first written valid for <paramref name="life"/>.</summary>
    private string ExecKubeconfig(TimeSpan life)
    {
        string credential = WriteCredential(life);
        K8SConfiguration kubeconfig = KubernetesClientConfiguration.LoadKubeConfig(_server.WriteKubeconfig(Path.Combine(_dir.Path, "admin")));
        UserCredentials user = kubeconfig.Users.Single().UserCredentials;
        user.Token = null;
        user.ExternalExecution = new ExternalExecution { ApiVersion = "client.authentication.k8s.io/v1", Command = "/bin/cat", Arguments = [credential] };
        return _dir.Write("exec-kubeconfig", KubernetesYaml.Serialize(kubeconfig));
    }

    /// <summary>An ExecCredential with a new administrator's certificate valid for <paramref name="life"/> by the server's clock, and that expiry.</summary>
    private string WriteCredential(TimeSpan life)
    {
        (string certificate, string key) = _server.IssueClientCertificate(UserInfo.Admin, life);
        var status = new JsonObject
        {
            ["clientCertificateData"] = certificate,
            ["clientKeyData"] = key,
            ["expirationTimestamp"] = (_serverClock.GetUtcNow() + life).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        };
        var credential = new JsonObject { ["apiVersion"] = "client.authentication.k8s.io/v1", ["kind"] = "ExecCredential", ["status"] = status };
        return _dir.Write("credential.json", credential.ToJsonString());
    }
}
