using KubeCache.Kubernetes.Auth;
using KubeCache.Kubernetes.Models;
using KubeCache.Kubernetes.Tests.Support;

namespace KubeCache.Kubernetes.Tests;

public sealed class InClusterConfigTests
{
    private static KubernetesConfigSources Sources(TempDir dir, string? host, string? port, TimeProvider? time = null) => new()
    {
        ServiceAccountDirectory = dir.Path,
        HomeDirectory = dir.Path,
        GetEnvironmentVariable = name => name switch
        {
            "KUBERNETES_SERVICE_HOST" => host,
            "KUBERNETES_SERVICE_PORT" => port,
            _ => null,
        },
        TimeProvider = time ?? TimeProvider.System,
    };

    [Fact]
    public void InCluster_ServiceAccountFiles_GiveServerCaAndNamespace()
    {
        using var dir = new TempDir();
        using var certs = new TestCertificates();
        dir.Write("token", "t0\n");
        dir.Write("ca.crt", certs.CaPem);
        dir.Write("namespace", "kubecache-system\n");

        KubernetesConfig config = KubernetesConfig.InCluster(Sources(dir, "10.96.0.1", "443"));

        Assert.Equal(new Uri("https://10.96.0.1:443"), config.Server);
        Assert.Equal("kubecache-system", config.Namespace);
        Assert.Equal(certs.Ca.Thumbprint, Assert.Single(config.CertificateAuthority!).Thumbprint);
    }

    [Fact]
    public void InCluster_Ipv6Host_IsBracketed()
    {
        using var dir = new TempDir();
        dir.Write("token", "t0");

        KubernetesConfig config = KubernetesConfig.InCluster(Sources(dir, "fd00::1", "6443"));

        Assert.Equal("https://[fd00::1]:6443/", config.Server.ToString());
        Assert.Equal("default", config.Namespace);
    }

    [Theory]
    [InlineData(null, "443")]
    [InlineData("10.96.0.1", null)]
    [InlineData("10.96.0.1", "http")]
    public void InCluster_MissingOrBadEnvironment_Throws(string? host, string? port)
    {
        using var dir = new TempDir();
        dir.Write("token", "t0");

        Assert.Throws<KubernetesConfigurationException>(() => KubernetesConfig.InCluster(Sources(dir, host, port)));
    }

    [Fact]
    public void Load_ServiceHostSet_ChoosesInCluster()
    {
        using var dir = new TempDir();
        dir.Write("token", "t0");

        KubernetesConfig config = KubernetesConfig.Load(Sources(dir, "10.96.0.1", "443"));

        Assert.Equal("10.96.0.1", config.Server.Host);
    }

    [Fact]
    public async Task TokenFile_Rotated_ReReadAfterOneMinute()
    {
        using var dir = new TempDir();
        string tokenPath = dir.Write("token", "t0");
        var clock = new ShiftableClock();
        var source = new TokenFileSource(tokenPath, clock);
        Assert.Equal("t0", (await source.GetAsync(default)).Token);

        File.WriteAllText(tokenPath, "t1");
        Assert.Equal("t0", (await source.GetAsync(default)).Token);
        clock.Advance(TimeSpan.FromSeconds(61));

        Assert.Equal("t1", (await source.GetAsync(default)).Token);
    }

    [Fact]
    public async Task InCluster_TokenRotatedAndServerSays401_ReReadsTokenAndRetries()
    {
        using var dir = new TempDir();
        string tokenPath = dir.Write("token", "t0");
        dir.Write("namespace", "ns1");
        await using var server = await ScriptedApiServer.StartAsync((ctx, req) =>
            req.Authorization == "Bearer t1" ? Reply.Json(ctx, Reply.ConfigMap("ring", "5", "ns1")) : Reply.Status(ctx, 401, "Unauthorized", "Unauthorized"));
        KubernetesConfig inCluster = KubernetesConfig.InCluster(Sources(dir, "127.0.0.1", server.Uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        // The scripted server speaks plain HTTP; keep everything else from the in-cluster configuration.
        var config = new KubernetesConfig { Server = server.Uri, Namespace = inCluster.Namespace, Credentials = inCluster.Credentials };
        using var client = new KubernetesClient(config);
        await client.TryGetAsync(ApiResource.ConfigMaps, null, "warm-up", KubernetesJsonContext.Default.ConfigMap).ContinueWith(_ => { }, TaskScheduler.Default);

        File.WriteAllText(tokenPath, "t1");
        ConfigMap map = await client.GetAsync(ApiResource.ConfigMaps, null, "ring", KubernetesJsonContext.Default.ConfigMap);

        Assert.Equal("ns1", map.Metadata.Namespace);
        Assert.Equal("/api/v1/namespaces/ns1/configmaps/ring", server.Requests.Last().Path);
        Assert.Equal("Bearer t1", server.Requests.Last().Authorization);
    }
}
