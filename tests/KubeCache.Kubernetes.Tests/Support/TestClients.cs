using k8s;

namespace KubeCache.Kubernetes.Tests.Support;

/// <summary>KubernetesClient pointed at a test server, with no credentials.</summary>
public static class TestClients
{
    public static IKubernetes For(Uri server) => KubernetesConnection.Create(new KubernetesClientConfiguration { Host = server.ToString() });
}
