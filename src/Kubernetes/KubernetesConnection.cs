using k8s;
using k8s.Authentication;
using k8s.Exceptions;
using k8s.KubeConfigModels;
using KubeCache.Kubernetes.Credentials;

namespace KubeCache.Kubernetes;

/// <summary>
/// Where the processes get their connection to the API server: KubernetesClient's configuration
/// (in-cluster service account, else the kubeconfig of KUBECONFIG or <c>~/.kube/config</c>, with
/// its exec plugins, token files, CA and client certificates), and the client made from it. A
/// bearer token (the service account's file, an exec plugin's) is a <see cref="RefreshableToken"/>:
/// after a 401 the client fetches it again and retries once.
/// </summary>
public static class KubernetesConnection
{
    /// <summary>The service account's namespace file, present in every pod that mounts a token.</summary>
    public const string ServiceAccountNamespaceFile = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

    /// <summary>The service account's token, which kubelet rewrites before it expires.</summary>
    public const string ServiceAccountTokenFile = "/var/run/secrets/kubernetes.io/serviceaccount/token";

    /// <summary>In-cluster when the pod's service-account environment is there, else the default kubeconfig.</summary>
    /// <exception cref="KubernetesConfigurationException">Neither can be loaded; the message says why.</exception>
    public static KubernetesClientConfiguration Load() =>
        KubernetesClientConfiguration.IsInCluster() ? InCluster(ServiceAccountTokenFile) : FromKubeconfig(KubeconfigVariablePath());

    /// <summary>The current context of the kubeconfig at <paramref name="path"/> (null: <c>~/.kube/config</c>).</summary>
    /// <exception cref="KubernetesConfigurationException">The file is missing or malformed.</exception>
    public static KubernetesClientConfiguration FromKubeconfig(string? path) =>
        Wrap(() =>
        {
            K8SConfiguration kubeconfig = KubernetesClientConfiguration.LoadKubeConfig(path ?? KubernetesClientConfiguration.KubeConfigDefaultLocation);
            KubernetesClientConfiguration config = KubernetesClientConfiguration.BuildConfigFromConfigObject(kubeconfig);
            if (config.TokenProvider is ExecTokenProvider && CurrentUser(kubeconfig)?.ExternalExecution is { } exec)
            {
                config.TokenProvider = RefreshableToken.FromExec(exec);
            }

            return config;
        });

    /// <summary>The pod's service account, its token read from <paramref name="tokenFile"/>.</summary>
    internal static KubernetesClientConfiguration InCluster(string tokenFile) =>
        Wrap(() =>
        {
            KubernetesClientConfiguration config = KubernetesClientConfiguration.InClusterConfig();
            config.TokenProvider = RefreshableToken.FromFile(tokenFile);
            return config;
        });

    /// <summary>A client for <paramref name="config"/>.</summary>
    public static IKubernetes Create(KubernetesClientConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.TokenProvider is RefreshableToken token ? new k8s.Kubernetes(config, new RetryUnauthorized(token)) : new k8s.Kubernetes(config);
    }

    /// <summary>The pod's own namespace from its service account, or null outside a pod.</summary>
    public static string? ServiceAccountNamespace() =>
        File.Exists(ServiceAccountNamespaceFile) ? File.ReadAllText(ServiceAccountNamespaceFile).Trim() : null;

    // BuildConfigFromConfigFile() alone reads only ~/.kube/config; KUBECONFIG names the file first.
    private static string? KubeconfigVariablePath() =>
        Environment.GetEnvironmentVariable("KUBECONFIG")?.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();

    private static UserCredentials? CurrentUser(K8SConfiguration kubeconfig)
    {
        string? user = kubeconfig.Contexts?.FirstOrDefault(c => c.Name == kubeconfig.CurrentContext)?.ContextDetails?.User;
        return kubeconfig.Users?.FirstOrDefault(u => u.Name == user)?.UserCredentials;
    }

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
