namespace KubeCache.Kubernetes;

/// <summary>
/// The connection settings cannot be built: a missing or malformed kubeconfig, service-account
/// file or certificate, or a credential plugin that failed. The message names the file or field.
/// </summary>
public sealed class KubernetesConfigurationException : Exception
{
    internal KubernetesConfigurationException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
