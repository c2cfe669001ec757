using k8s;
using KubeCache.Kubernetes.Tests.Support;

namespace KubeCache.Kubernetes.Tests;

/// <summary>
/// <see cref="KubernetesConnection.Load"/> outside a pod: the processes are started with KUBECONFIG
/// naming their kubeconfig, which KubernetesClient's own file loader does not read.
/// </summary>
[Collection(EnvironmentCollection.Name)]
public sealed class KubernetesConnectionTests
{
    private const string Kubeconfig = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: c
          cluster:
            server: http://127.0.0.1:6443
        users:
        - name: u
          user:
            token: t0k3n
        contexts:
        - name: ctx
          context:
            cluster: c
            user: u
            namespace: team-a
        current-context: ctx
        """;

    [Fact]
    public void Load_KubeconfigVariable_ReadsThatFile()
    {
        using var dir = new TempDir();
        string path = dir.Write("config", Kubeconfig);
        string? saved = Environment.GetEnvironmentVariable("KUBECONFIG");
        Environment.SetEnvironmentVariable("KUBECONFIG", path + Path.PathSeparator + "/nonexistent/other");
        try
        {
            KubernetesClientConfiguration config = KubernetesConnection.Load();

            Assert.Equal("http://127.0.0.1:6443", config.Host.TrimEnd('/'));
            Assert.Equal("team-a", config.Namespace);
            Assert.Equal("t0k3n", config.AccessToken);
        }
        finally
        {
            Environment.SetEnvironmentVariable("KUBECONFIG", saved);
        }
    }

    [Fact]
    public void FromKubeconfig_MissingFile_ThrowsConfigurationException()
    {
        var error = Assert.Throws<KubernetesConfigurationException>(() => KubernetesConnection.FromKubeconfig("/nonexistent/kubeconfig"));

        Assert.Contains("/nonexistent/kubeconfig", error.Message, StringComparison.Ordinal);
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EnvironmentCollection
{
    public const string Name = "process environment";
}
