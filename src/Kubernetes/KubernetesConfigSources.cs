namespace KubeCache.Kubernetes;

/// <summary>
/// Where configuration is read from. The defaults are the real process environment and file
/// system; tests give temporary directories and their own variables.
/// </summary>
public sealed class KubernetesConfigSources
{
    /// <summary>The process's environment, <c>/var/run/secrets/kubernetes.io/serviceaccount</c> and the user's home.</summary>
    public static KubernetesConfigSources Default { get; } = new();

    /// <summary>Reads an environment variable (KUBECONFIG, KUBERNETES_SERVICE_HOST/PORT). Default: the process environment.</summary>
    public Func<string, string?> GetEnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>Holds the pod's <c>token</c>, <c>ca.crt</c> and <c>namespace</c>. Default: <c>/var/run/secrets/kubernetes.io/serviceaccount</c>.</summary>
    public string ServiceAccountDirectory { get; init; } = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>Where <c>.kube/config</c> is looked for when KUBECONFIG is unset. Default: the user's profile directory.</summary>
    public string HomeDirectory { get; init; } = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    /// <summary>Clock for token-file re-reads and exec credential expiry. Default: <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
