using System.Security.Cryptography.X509Certificates;
using KubeCache.Kubernetes.Auth;
using KubeCache.Kubernetes.Kubeconfig;

namespace KubeCache.Kubernetes;

/// <summary>
/// How to reach and authenticate to one API server. Build it with <see cref="Load"/> (in-cluster
/// when running in a pod, else the kubeconfig), <see cref="InCluster"/> or
/// <see cref="FromKubeconfig"/>; or set the properties directly (tests, a fake API server).
/// </summary>
public sealed class KubernetesConfig
{
    /// <summary>The API server's base address, e.g. <c>https://10.96.0.1:443</c>.</summary>
    public required Uri Server { get; init; }

    /// <summary>The namespace to use when the caller names none. Default: <c>default</c>.</summary>
    public string Namespace { get; init; } = "default";

    /// <summary>Roots trusted for the server's certificate; null trusts the system store.</summary>
    public X509Certificate2Collection? CertificateAuthority { get; init; }

    /// <summary>Certificate (with private key) presented to the server; null presents none.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>Skips server certificate validation. Default: false. Never for production.</summary>
    public bool InsecureSkipTlsVerify { get; init; }

    /// <summary>The name the server certificate must carry when it differs from <see cref="Server"/>'s host.</summary>
    public string? TlsServerName { get; init; }

    /// <summary>A fixed bearer token; kubeconfig and in-cluster loading use refreshing sources instead.</summary>
    public string? BearerToken { get; init; }

    /// <summary>Token file, exec plugin or fixed token; null when <see cref="BearerToken"/> alone applies.</summary>
    internal CredentialSource? Credentials { get; init; }

    internal CredentialSource? EffectiveCredentials =>
        Credentials ?? (BearerToken is null ? null : new StaticTokenSource(BearerToken));

    /// <summary>True when KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are set, as they are in every pod.</summary>
    public static bool IsInCluster(KubernetesConfigSources? sources = null)
    {
        sources ??= KubernetesConfigSources.Default;
        return !string.IsNullOrEmpty(sources.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST"))
            && !string.IsNullOrEmpty(sources.GetEnvironmentVariable("KUBERNETES_SERVICE_PORT"));
    }

    /// <summary>
    /// The pod's namespace from the service-account directory's <c>namespace</c> file, or null
    /// outside a pod (no such file, or an empty one).
    /// </summary>
    public static string? ServiceAccountNamespace(KubernetesConfigSources? sources = null)
    {
        sources ??= KubernetesConfigSources.Default;
        string path = Path.Combine(sources.ServiceAccountDirectory, "namespace");
        try
        {
            string ns = File.ReadAllText(path).Trim();
            return ns.Length == 0 ? null : ns;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>In-cluster configuration inside a pod, the kubeconfig otherwise.</summary>
    public static KubernetesConfig Load(KubernetesConfigSources? sources = null) =>
        IsInCluster(sources) ? InCluster(sources) : FromKubeconfig(sources: sources);

    /// <summary>
    /// The pod's service account: server from KUBERNETES_SERVICE_HOST/PORT (IPv6 hosts get
    /// brackets), CA and namespace from the service-account directory, and the token re-read from
    /// its file every minute and after a 401, because the kubelet rotates it.
    /// </summary>
    public static KubernetesConfig InCluster(KubernetesConfigSources? sources = null)
    {
        sources ??= KubernetesConfigSources.Default;
        string? host = sources.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST");
        string? port = sources.GetEnvironmentVariable("KUBERNETES_SERVICE_PORT");
        if (string.IsNullOrEmpty(host) || string.IsNullOrEmpty(port))
        {
            ThrowHelper.ThrowConfiguration("Not running in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must both be set.");
        }
        if (!int.TryParse(port, out int portNumber) || portNumber is < 1 or > 65535)
        {
            ThrowHelper.ThrowConfiguration($"KUBERNETES_SERVICE_PORT '{port}' is not a port number.");
        }

        string dir = sources.ServiceAccountDirectory;
        string tokenPath = Path.Combine(dir, "token");
        if (!File.Exists(tokenPath))
        {
            ThrowHelper.ThrowConfiguration($"The service-account token '{tokenPath}' does not exist; is automountServiceAccountToken off?");
        }
        string caPath = Path.Combine(dir, "ca.crt");
        string nsPath = Path.Combine(dir, "namespace");
        string ns = File.Exists(nsPath) ? File.ReadAllText(nsPath).Trim() : "";

        return new KubernetesConfig
        {
            // UriBuilder brackets an IPv6 host, which is what JoinHostPort does in client-go.
            Server = new UriBuilder(Uri.UriSchemeHttps, host, portNumber).Uri,
            Namespace = ns.Length == 0 ? "default" : ns,
            CertificateAuthority = File.Exists(caPath) ? Pem.LoadCertificates(File.ReadAllText(caPath), caPath) : null,
            Credentials = new TokenFileSource(tokenPath, sources.TimeProvider),
        };
    }

    /// <summary>
    /// A kubeconfig: <paramref name="path"/>, else the first file named by KUBECONFIG, else
    /// <c>~/.kube/config</c>; the context <paramref name="context"/>, else <c>current-context</c>.
    /// Relative file paths in it resolve against its directory.
    /// </summary>
    public static KubernetesConfig FromKubeconfig(string? path = null, string? context = null, KubernetesConfigSources? sources = null)
    {
        sources ??= KubernetesConfigSources.Default;
        path ??= KubeconfigLoader.DefaultPath(sources);
        return KubeconfigLoader.Load(path, context, sources);
    }
}
