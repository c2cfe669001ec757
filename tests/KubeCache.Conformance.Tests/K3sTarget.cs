using DotNet.Testcontainers.Builders;
using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeCache.Testing;
using Testcontainers.K3s;

namespace KubeCache.Conformance.Tests;

/// <summary>
/// A real apiserver: k3s in Docker through Testcontainers. Without a Docker engine the scenarios
/// are skipped, unless <see cref="RequireVariable"/> is 1, which makes that a failure.
/// </summary>
public sealed class K3sTarget : ApiTarget
{
    /// <summary>The k3s image, pinned: the Kubernetes minor the fake is held to.</summary>
    public const string Image = "rancher/k3s:v1.36.4-k3s1";

    /// <summary>Set to 1 where a Docker engine must exist (the CI job that proves the fake), so its absence fails.</summary>
    public const string RequireVariable = "KUBECACHE_REQUIRE_K3S";

    /// <summary>How long a pod may take to be created and pull and start its image.</summary>
    private static readonly TimeSpan PodDeadline = TimeSpan.FromMinutes(2);

    private K3sContainer? _container;
    private KubernetesClientConfiguration? _admin;

    public override async Task<IKubernetes> ServiceAccountClientAsync(string ns, string name)
    {
        Authenticationv1TokenRequest token = await Admin.CoreV1.CreateNamespacedServiceAccountTokenAsync(
            new Authenticationv1TokenRequest { Spec = new V1TokenRequestSpec { Audiences = [], ExpirationSeconds = 600 } }, name, ns);
        return new k8s.Kubernetes(new KubernetesClientConfiguration
        {
            Host = _admin!.Host,
            SslCaCerts = _admin.SslCaCerts,
            SkipTlsVerify = _admin.SkipTlsVerify,
            AccessToken = token.Status.Token,
        });
    }

    // The watch cache starts at its first list, after k3s created its own objects: RV 1 is older.
    public override void ForgetWatchHistory()
    {
    }

    public override async Task RunPodAsync(string ns, V1Pod pod)
    {
        // The namespace's default service account, which admission requires, appears a moment after the namespace.
        await Poll.UntilAsync(async () => await TryCreateAsync(ns, pod), $"pod {pod.Metadata.Name} created", PodDeadline, TimeSpan.FromMilliseconds(200));
        await Poll.UntilAsync(async () =>
            (await Admin.CoreV1.ReadNamespacedPodAsync(pod.Metadata.Name, ns)).Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true,
            $"pod {pod.Metadata.Name} Ready", PodDeadline, TimeSpan.FromMilliseconds(200));
    }

    private async Task<bool> TryCreateAsync(string ns, V1Pod pod)
    {
        try
        {
            await Admin.CoreV1.CreateNamespacedPodAsync(pod, ns);
            return true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Forbidden)
        {
            return false;
        }
    }

    public override async Task DisposeAsync()
    {
        DisposeClient();
        if (_container is not null)
        {
            await _container.DisposeAsync();
        }
    }

    protected override async Task<KubernetesClientConfiguration?> StartAsync()
    {
        try
        {
            _container = new K3sBuilder(Image).Build();
        }
        catch (DockerUnavailableException e) when (Environment.GetEnvironmentVariable(RequireVariable) != "1")
        {
            SkipAll($"No Docker engine to run {Image} ({e.Message.Split('\n')[0]}); set {RequireVariable}=1 to make this a failure.");
            return null;
        }

        await _container.StartAsync();
        using var kubeconfig = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(await _container.GetKubeconfigAsync()));
        _admin = await KubernetesClientConfiguration.BuildConfigFromConfigFileAsync(kubeconfig);
        return _admin;
    }
}
