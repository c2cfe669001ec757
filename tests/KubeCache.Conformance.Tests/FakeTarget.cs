using k8s;
using k8s.Models;
using KubeCache.FakeApiServer;
using KubeCache.Kubernetes;

namespace KubeCache.Conformance.Tests;

/// <summary>The fake API server as the tests use it: HTTPS, tokens, RBAC.</summary>
public sealed class FakeTarget : ApiTarget
{
    private FakeApiServer.FakeApiServer? _server;
    private readonly DirectoryInfo _kubeconfigs = Directory.CreateTempSubdirectory("conformance-");

    private FakeApiServer.FakeApiServer Server => _server ?? throw new InvalidOperationException("the fake did not start");

    public override Task<IKubernetes> ServiceAccountClientAsync(string ns, string name)
    {
        string path = Server.WriteServiceAccountKubeconfig(ns, name, Path.Combine(_kubeconfigs.FullName, $"{ns}-{name}"));
        return Task.FromResult(KubernetesConnection.Create(KubernetesConnection.FromKubeconfig(path)));
    }

    public override void ForgetWatchHistory() => Server.CompactHistory();

    public override async Task RunPodAsync(string ns, V1Pod pod)
    {
        V1Pod created = await Admin.CoreV1.CreateNamespacedPodAsync(pod, ns);
        created.Status = new V1PodStatus
        {
            Phase = "Running",
            PodIP = "127.0.0.1",
            Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }],
        };
        await Admin.CoreV1.ReplaceNamespacedPodStatusAsync(created, created.Metadata.Name, ns);
    }

    public override async Task DisposeAsync()
    {
        DisposeClient();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _kubeconfigs.Delete(recursive: true);
    }

    protected override async Task<KubernetesClientConfiguration?> StartAsync()
    {
        _server = await FakeApiServer.FakeApiServer.StartAsync(new FakeApiServerOptions { Rbac = true, UseHttps = true });
        return KubernetesConnection.FromKubeconfig(_server.KubeconfigPath);
    }
}
