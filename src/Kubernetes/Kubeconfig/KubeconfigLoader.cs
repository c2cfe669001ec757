using System.Security.Cryptography.X509Certificates;
using System.Text;
using KubeCache.Kubernetes.Auth;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace KubeCache.Kubernetes.Kubeconfig;

/// <summary>Turns a kubeconfig file and one of its contexts into a <see cref="KubernetesConfig"/>.</summary>
internal static class KubeconfigLoader
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder().IgnoreUnmatchedProperties().Build();

    /// <summary>The first file of KUBECONFIG (a path list, as kubectl merges it), else <c>~/.kube/config</c>.</summary>
    public static string DefaultPath(KubernetesConfigSources sources)
    {
        string? list = sources.GetEnvironmentVariable("KUBECONFIG");
        string? first = list?.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return first ?? Path.Combine(sources.HomeDirectory, ".kube", "config");
    }

    public static KubernetesConfig Load(string path, string? contextName, KubernetesConfigSources sources)
    {
        if (!File.Exists(path))
        {
            ThrowHelper.ThrowConfiguration($"The kubeconfig '{path}' does not exist; set KUBECONFIG or create ~/.kube/config.");
        }
        KubeconfigFile file = Parse(File.ReadAllText(path), path);
        string baseDir = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";

        contextName ??= file.CurrentContext;
        if (string.IsNullOrEmpty(contextName))
        {
            ThrowHelper.ThrowConfiguration($"The kubeconfig '{path}' sets no current-context; name a context.");
        }
        ContextEntry context = Find(file.Contexts, c => c.Name, contextName, "context", path)?.Context
            ?? ThrowHelper.ThrowConfiguration<ContextEntry>($"The context '{contextName}' in '{path}' is empty.");
        ClusterEntry cluster = Find(file.Clusters, c => c.Name, context.Cluster, "cluster", path)?.Cluster
            ?? ThrowHelper.ThrowConfiguration<ClusterEntry>($"The cluster '{context.Cluster}' in '{path}' is empty.");
        UserEntry user = (context.User is null ? null : Find(file.Users, u => u.Name, context.User, "user", path)?.User) ?? new UserEntry();

        if (!Uri.TryCreate(cluster.Server, UriKind.Absolute, out Uri? server) || (server.Scheme != Uri.UriSchemeHttps && server.Scheme != Uri.UriSchemeHttp))
        {
            ThrowHelper.ThrowConfiguration($"The cluster '{context.Cluster}' in '{path}' has no valid https server URL (got '{cluster.Server}').");
        }

        X509Certificate2Collection? ca = LoadAuthority(cluster, baseDir, path);
        return new KubernetesConfig
        {
            Server = server,
            Namespace = string.IsNullOrEmpty(context.Namespace) ? "default" : context.Namespace,
            CertificateAuthority = ca,
            InsecureSkipTlsVerify = cluster.InsecureSkipTlsVerify,
            TlsServerName = string.IsNullOrEmpty(cluster.TlsServerName) ? null : cluster.TlsServerName,
            ClientCertificate = LoadClientCertificate(user, baseDir, path),
            Credentials = CredentialsFor(user, cluster, server, baseDir, path, sources),
        };
    }

    internal static KubeconfigFile Parse(string yaml, string path)
    {
        try
        {
            return Yaml.Deserialize<KubeconfigFile?>(yaml) ?? new KubeconfigFile();
        }
        catch (YamlException e)
        {
            return ThrowHelper.ThrowConfiguration<KubeconfigFile>($"The kubeconfig '{path}' is not valid YAML at {e.Start}: {e.Message}", e);
        }
    }

    private static T? Find<T>(List<T>? entries, Func<T, string?> name, string? wanted, string what, string path)
        where T : class
    {
        if (string.IsNullOrEmpty(wanted))
        {
            return ThrowHelper.ThrowConfiguration<T>($"A context in '{path}' names no {what}.");
        }
        return entries?.FirstOrDefault(e => name(e) == wanted)
            ?? ThrowHelper.ThrowConfiguration<T>($"The kubeconfig '{path}' has no {what} named '{wanted}'.");
    }

    private static X509Certificate2Collection? LoadAuthority(ClusterEntry cluster, string baseDir, string path)
    {
        if (!string.IsNullOrEmpty(cluster.CertificateAuthorityData))
        {
            return Pem.LoadCertificates(DecodeData(cluster.CertificateAuthorityData, "certificate-authority-data", path), $"certificate-authority-data in '{path}'");
        }
        if (!string.IsNullOrEmpty(cluster.CertificateAuthority))
        {
            string file = Resolve(cluster.CertificateAuthority, baseDir);
            return Pem.LoadCertificates(ReadFile(file, "certificate-authority", path), file);
        }
        return null;
    }

    private static X509Certificate2? LoadClientCertificate(UserEntry user, string baseDir, string path)
    {
        string? cert = !string.IsNullOrEmpty(user.ClientCertificateData) ? DecodeData(user.ClientCertificateData, "client-certificate-data", path)
            : !string.IsNullOrEmpty(user.ClientCertificate) ? ReadFile(Resolve(user.ClientCertificate, baseDir), "client-certificate", path)
            : null;
        string? key = !string.IsNullOrEmpty(user.ClientKeyData) ? DecodeData(user.ClientKeyData, "client-key-data", path)
            : !string.IsNullOrEmpty(user.ClientKey) ? ReadFile(Resolve(user.ClientKey, baseDir), "client-key", path)
            : null;
        if (cert is null && key is null)
        {
            return null;
        }
        if (cert is null || key is null)
        {
            ThrowHelper.ThrowConfiguration($"A user in '{path}' gives a client certificate without its key or a key without its certificate.");
        }
        return Pem.LoadClientCertificate(cert, key, path);
    }

    private static CredentialSource? CredentialsFor(UserEntry user, ClusterEntry cluster, Uri server, string baseDir, string path, KubernetesConfigSources sources)
    {
        if (user.Exec is not null)
        {
            var clusterInfo = new ExecClusterInfo(server, cluster.CertificateAuthorityData is { Length: > 0 } data ? data
                : cluster.CertificateAuthority is { Length: > 0 } caFile ? Convert.ToBase64String(File.ReadAllBytes(Resolve(caFile, baseDir)))
                : null, cluster.InsecureSkipTlsVerify, cluster.TlsServerName);
            return new ExecCredentialSource(user.Exec, clusterInfo, baseDir, path, sources);
        }
        if (!string.IsNullOrEmpty(user.Token))
        {
            return new StaticTokenSource(user.Token);
        }
        if (!string.IsNullOrEmpty(user.TokenFile))
        {
            return new TokenFileSource(Resolve(user.TokenFile, baseDir), sources.TimeProvider);
        }
        return null;
    }

    /// <summary>Relative paths in a kubeconfig are relative to the kubeconfig's own directory.</summary>
    internal static string Resolve(string file, string baseDir) =>
        Path.IsPathRooted(file) ? file : Path.GetFullPath(Path.Combine(baseDir, file));

    private static string ReadFile(string file, string field, string path)
    {
        if (!File.Exists(file))
        {
            ThrowHelper.ThrowConfiguration($"The {field} file '{file}' named in '{path}' does not exist.");
        }
        return File.ReadAllText(file);
    }

    private static string DecodeData(string base64, string field, string path)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException e)
        {
            return ThrowHelper.ThrowConfiguration<string>($"{field} in '{path}' is not base64: {e.Message}", e);
        }
    }
}
