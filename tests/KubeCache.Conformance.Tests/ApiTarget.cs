using k8s;
using k8s.Models;
using KubeCache.Testing;

namespace KubeCache.Conformance.Tests;

/// <summary>
/// An API server the conformance scenarios run against: an administrator's client, a service
/// account's credentials, and the KvCluster CRD installed through the API. A target that cannot
/// start reports why, and the scenarios are skipped with that reason (or fail, where required).
/// </summary>
public abstract class ApiTarget : IAsyncLifetime
{
    private IKubernetes? _admin;

    /// <summary>The administrator's client (system:masters).</summary>
    public IKubernetes Admin => _admin ?? throw new InvalidOperationException("the target did not start");

    /// <summary>Why the scenarios are skipped on this target; null when it runs.</summary>
    public string? SkipReason { get; private set; }

    public async Task InitializeAsync()
    {
        KubernetesClientConfiguration? config = await StartAsync().ConfigureAwait(false);
        if (config is null)
        {
            return;
        }

        _admin = new k8s.Kubernetes(config);
        await InstallCrdAsync(_admin).ConfigureAwait(false);
    }

    /// <summary>Skips the calling scenario when this target is not available.</summary>
    public void SkipUnlessAvailable() => Skip.If(SkipReason is not null, SkipReason);

    /// <summary>A client that authenticates as service account <paramref name="ns"/>/<paramref name="name"/>, which must exist.</summary>
    public abstract Task<IKubernetes> ServiceAccountClientAsync(string ns, string name);

    /// <summary>
    /// Makes every resourceVersion up to now too old to watch from: resuming a watch from one is
    /// 410 Expired. A real apiserver's watch cache starts at its own list, so RV 1 is too old there already.
    /// </summary>
    public abstract void ForgetWatchHistory();

    /// <summary>
    /// Creates <paramref name="pod"/> in <paramref name="ns"/> and returns once it is Running and
    /// Ready: a real cluster's kubelet runs it; the fake, which has none, is told its status.
    /// </summary>
    public abstract Task RunPodAsync(string ns, V1Pod pod);

    public abstract Task DisposeAsync();

    /// <summary>Starts the server and returns the administrator's configuration, or null after <see cref="SkipAll"/>.</summary>
    protected abstract Task<KubernetesClientConfiguration?> StartAsync();

    protected void SkipAll(string reason) => SkipReason = reason;

    protected void DisposeClient() => _admin?.Dispose();

    private static async Task InstallCrdAsync(IKubernetes admin)
    {
        string yaml = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "crds", "kvclusters.kubecache.io.yaml")).ConfigureAwait(false);
        await admin.ApiextensionsV1.CreateCustomResourceDefinitionAsync(KubernetesYaml.Deserialize<V1CustomResourceDefinition>(yaml)).ConfigureAwait(false);
        await Poll.UntilAsync(async () => await ServedAsync(admin).ConfigureAwait(false), "the KvCluster CRD served", TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(200))
            .ConfigureAwait(false);
    }

    private static async Task<bool> ServedAsync(IKubernetes admin)
    {
        try
        {
            await admin.CustomObjects.ListClusterCustomObjectAsync(Scenarios.KvClusters.Group, Scenarios.KvClusters.Version, Scenarios.KvClusters.Plural)
                .ConfigureAwait(false);
            return true;
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }
    }
}
