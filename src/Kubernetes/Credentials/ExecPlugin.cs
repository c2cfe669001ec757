using k8s;
using k8s.KubeConfigModels;

namespace KubeCache.Kubernetes.Credentials;

/// <summary>A kubeconfig exec plugin, run through KubernetesClient, and when its credential is due for renewal.</summary>
internal static class ExecPlugin
{
    /// <summary>How long before a credential expires it is renewed, so no request goes out with one that expires in flight: 30 seconds.</summary>
    public static readonly TimeSpan RenewBefore = TimeSpan.FromSeconds(30);

    /// <summary>What the plugin printed, and when to run it again (null: it stated no expiry).</summary>
    public static (ExecCredentialResponse.ExecStatus Status, DateTimeOffset? Due) Run(ExternalExecution exec)
    {
        ExecCredentialResponse response = KubernetesClientConfiguration.ExecuteExternalCommand(exec);
        return (response.Status, response.Status.ExpirationTimestamp is { } at ? DueBefore(new DateTimeOffset(at.ToUniversalTime())) : null);
    }

    /// <summary>When a credential that expires at <paramref name="expiry"/> is renewed.</summary>
    public static DateTimeOffset DueBefore(DateTimeOffset expiry) => expiry - RenewBefore;
}
