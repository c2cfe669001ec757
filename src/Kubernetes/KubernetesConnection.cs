using k8s;
using k8s.Exceptions;

namespace KubeCache.Kubernetes;

/// <summary>
/// Where the processes get their connection to the API server: KubernetesClient's configuration
/// (in-cluster service account, else the kubeconfig of KUBECONFIG or <c>~/.kube/config</c>, with
/// its exec plugins, token files, CA and client certificates), and the client made from it.
/// </summary>
public static class KubernetesConnection
{
    /// <summary>The service account's namespace file, present in every pod that mounts a token.</summary>
    public const string ServiceAccountNamespaceFile = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

    /// <summary>In-cluster when the pod's service-account environment is there, else the default kubeconfig.</summary>
    /// <exception cref="KubernetesConfigurationException">Neither can be loaded; the message says why.</exception>
    public static KubernetesClientConfiguration Load() =>
        Wrap(() => KubernetesClientConfiguration.IsInCluster()
            ? KubernetesClientConfiguration.InClusterConfig()
            : KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigVariablePath()));

    /// <summary>The current context of the kubeconfig at <paramref name="path"/>.</summary>
    /// <exception cref="KubernetesConfigurationException">The file is missing or malformed.</exception>
    public static KubernetesClientConfiguration FromKubeconfig(string path) =>
        Wrap(() => KubernetesClientConfiguration.BuildConfigFromConfigFile(path));

    /// <summary>A client for <paramref name="config"/>.</summary>
    public static IKubernetes Create(KubernetesClientConfiguration config) => new k8s.Kubernetes(config);

    /// <summary>The pod's own namespace from its service account, or null outside a pod.</summary>
    public static string? ServiceAccountNamespace() =>
        File.Exists(ServiceAccountNamespaceFile) ? File.ReadAllText(ServiceAccountNamespaceFile).Trim() : null;

    // BuildConfigFromConfigFile() alone reads only ~/.kube/config; KUBECONFIG names the file first.
    private static string? KubeconfigVariablePath() =>
        Environment.GetEnvironmentVariable("KUBECONFIG")?.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();

    private static KubernetesClientConfiguration Wrap(Func<KubernetesClientConfiguration> load)
    {
        try
        {
            return load();
        }
        catch (Exception e) when (e is KubeConfigException or IOException or UnauthorizedAccessException or FormatException
            or System.Security.Cryptography.CryptographicException)
        {
            throw ThrowHelper.Configuration(e.Message, e);
        }
    }
}
