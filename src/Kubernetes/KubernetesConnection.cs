using System.Runtime.CompilerServices;
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
/// bearer token (the service account's file, an exec plugin's) is a <see cref="RefreshableToken"/>
/// and an exec plugin's client certificate a <see cref="RefreshableCertificate"/>: renewed when
/// due, and after a 401 the client fetches them again and retries once.
/// </summary>
public static class KubernetesConnection
{
    // The exec plugin's certificate of a configuration FromKubeconfig made, for Create to retry with.
    private static readonly ConditionalWeakTable<KubernetesClientConfiguration, RefreshableCertificate> ExecCertificates = [];

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
    public static KubernetesClientConfiguration FromKubeconfig(string? path) => FromKubeconfig(path, TimeProvider.System);

    /// <summary>As <see cref="FromKubeconfig(string?)"/>, exec plugins' credentials renewed by <paramref name="time"/>.</summary>
    internal static KubernetesClientConfiguration FromKubeconfig(string? path, TimeProvider time) =>
        Wrap(() =>
        {
            K8SConfiguration kubeconfig = KubernetesClientConfiguration.LoadKubeConfig(path ?? KubernetesClientConfiguration.KubeConfigDefaultLocation);
            KubernetesClientConfiguration config = KubernetesClientConfiguration.BuildConfigFromConfigObject(kubeconfig);
            if (CurrentUser(kubeconfig)?.ExternalExecution is not { } exec)
            {
                return config;
            }

            if (config.TokenProvider is ExecTokenProvider)
            {
                config.TokenProvider = RefreshableToken.FromExec(exec, time);
            }

            // With an exec user the library's certificate data is the plugin's first output.
            if (config.ClientCertificateData is not null)
            {
                RefreshableCertificate certificate = RefreshableCertificate.FromExec(exec, time);
                config.ClientCertificateData = null;
                config.ClientCertificateKeyData = null;
                config.FirstMessageHandlerSetup = certificate.Install;
                // A new certificate closes the open connections; on HTTP/1.1 the handler moves a request
                // that meets a closed idle connection to a new one, on HTTP/2 the request fails.
                config.DisableHttp2 = true;
                ExecCertificates.Add(config, certificate);
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
        IRenewableCredential[] renewable = [.. Renewable(config)];
        return renewable.Length == 0 ? new k8s.Kubernetes(config) : new k8s.Kubernetes(config, new RetryUnauthorized(renewable));
    }

    /// <summary>The pod's own namespace from its service account, or null outside a pod.</summary>
    public static string? ServiceAccountNamespace() =>
        File.Exists(ServiceAccountNamespaceFile) ? File.ReadAllText(ServiceAccountNamespaceFile).Trim() : null;

    // BuildConfigFromConfigFile() alone reads only ~/.kube/config; KUBECONFIG names the file first.
    private static string? KubeconfigVariablePath() =>
        Environment.GetEnvironmentVariable("KUBECONFIG")?.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();

    private static IEnumerable<IRenewableCredential> Renewable(KubernetesClientConfiguration config)
    {
        if (config.TokenProvider is RefreshableToken token)
        {
            yield return token;
        }

        if (ExecCertificates.TryGetValue(config, out RefreshableCertificate? certificate))
        {
            yield return certificate;
        }
    }

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
