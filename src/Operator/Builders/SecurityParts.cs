using k8s.Models;
using KubeCache.Operator.Resources;

namespace KubeCache.Operator.Builders;

/// <summary>
/// What spec.auth and spec.tls add to node and router pods: the Secrets mounted read-only and
/// the security flags (the names of src/Security's SecurityOptionSpecs) pointing at them.
/// </summary>
public static class SecurityParts
{
    /// <summary>Where the auth Secret is mounted; the keys file is &lt;this&gt;/&lt;secretRef.key&gt;.</summary>
    public const string AuthPath = "/etc/kubecache/auth";

    /// <summary>Where the TLS Secret (tls.crt, tls.key, ca.crt) is mounted.</summary>
    public const string TlsPath = "/etc/kubecache/tls";

    /// <summary>The TLS Secret's key holding the CA every pod's certificate is verified against.</summary>
    public const string TlsCaKey = "ca.crt";

    /// <summary>
    /// Port of the RESP-over-TLS listener of nodes and routers when spec.tls is set: peers
    /// (router upstream, node handoff) connect to it with --peer-tls, since the plain RESP port
    /// stays plain.
    /// </summary>
    public const int TlsRespPort = 6380;

    public const string TlsRespPortName = "resp-tls";

    /// <summary>
    /// Port of the HTTPS listener of nodes and routers when spec.tls is set: the operator asks them
    /// for handoff progress and ring epochs there, so the API key it sends never crosses the network
    /// in clear; clients may use it too. The plain HTTP port stays for kubelet probes and scrapes.
    /// </summary>
    public const int TlsHttpPort = 7443;

    public const string TlsHttpPortName = "https";

    public const string AuthVolume = "auth";
    public const string TlsVolume = "tls";

    /// <summary>The security flags for <paramref name="spec"/>; empty when neither auth nor TLS is set.</summary>
    public static List<string> Args(KvClusterSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var args = new List<string>();
        if (spec.Auth?.SecretRef is { Name.Length: > 0 } secret)
        {
            args.AddRange(["--auth-keys-file", $"{AuthPath}/{secret.Key ?? KvClusterDefaults.AuthSecretKey}"]);
        }

        if (spec.Tls?.SecretName is { Length: > 0 })
        {
            string port = TlsRespPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
            args.AddRange([
                "--tls-cert-file", $"{TlsPath}/tls.crt",
                "--tls-key-file", $"{TlsPath}/tls.key",
                "--tls-ca-file", $"{TlsPath}/{TlsCaKey}",
                "--tls-http-port", TlsHttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--tls-resp-port", port,
                "--peer-tls", "true",
                "--peer-tls-port", port,
            ]);
        }

        return args;
    }

    /// <summary>The Secret volumes for <paramref name="spec"/>.</summary>
    public static IEnumerable<V1Volume> Volumes(KvClusterSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Auth?.SecretRef is { Name.Length: > 0 } secret)
        {
            yield return new V1Volume { Name = AuthVolume, Secret = new V1SecretVolumeSource { SecretName = secret.Name } };
        }

        if (spec.Tls?.SecretName is { Length: > 0 } tls)
        {
            yield return new V1Volume { Name = TlsVolume, Secret = new V1SecretVolumeSource { SecretName = tls } };
        }
    }

    /// <summary>Read-only mounts of <see cref="Volumes"/>.</summary>
    public static IEnumerable<V1VolumeMount> Mounts(KvClusterSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Auth?.SecretRef is { Name.Length: > 0 })
        {
            yield return new V1VolumeMount { Name = AuthVolume, MountPath = AuthPath, ReadOnlyProperty = true };
        }

        if (spec.Tls?.SecretName is { Length: > 0 })
        {
            yield return new V1VolumeMount { Name = TlsVolume, MountPath = TlsPath, ReadOnlyProperty = true };
        }
    }

    /// <summary>The TLS RESP and HTTPS container ports when spec.tls is set.</summary>
    public static IEnumerable<V1ContainerPort> Ports(KvClusterSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Tls?.SecretName is { Length: > 0 })
        {
            yield return new V1ContainerPort { Name = TlsRespPortName, ContainerPort = TlsRespPort, Protocol = "TCP" };
            yield return new V1ContainerPort { Name = TlsHttpPortName, ContainerPort = TlsHttpPort, Protocol = "TCP" };
        }
    }

    /// <summary>The TLS RESP and HTTPS Service ports when spec.tls is set: clients reach the routers over TLS, and peers the nodes.</summary>
    public static IEnumerable<V1ServicePort> ServicePorts(KvClusterSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Tls?.SecretName is { Length: > 0 })
        {
            yield return new V1ServicePort { Name = TlsRespPortName, Port = TlsRespPort, TargetPort = TlsRespPortName, Protocol = "TCP" };
            yield return new V1ServicePort { Name = TlsHttpPortName, Port = TlsHttpPort, TargetPort = TlsHttpPortName, Protocol = "TCP" };
        }
    }
}
