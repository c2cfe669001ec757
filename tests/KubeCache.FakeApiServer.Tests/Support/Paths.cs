namespace KubeCache.FakeApiServer.Tests.Support;

/// <summary>API paths used across the tests.</summary>
internal static class Paths
{
    public const string ConfigMaps = "/api/v1/namespaces/default/configmaps";
    public const string KvClusters = "/apis/kubecache.io/v1alpha1/namespaces/default/kvclusters";
    public const string StatefulSets = "/apis/apps/v1/namespaces/default/statefulsets";
    public const string Deployments = "/apis/apps/v1/namespaces/default/deployments";

    public static string ConfigMap(string name) => $"{ConfigMaps}/{name}";

    public static string KvCluster(string name) => $"{KvClusters}/{name}";

    public static string ConfigMapJson(string name, string value = "v", string labels = "{}") =>
        $$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}","labels":{{{labels}}}},"data":{"k":"{{{value}}}"}}""";

    public static string KvClusterJson(string name, int replicas) =>
        $$$"""{"apiVersion":"kubecache.io/v1alpha1","kind":"KvCluster","metadata":{"name":"{{{name}}}"},"spec":{"replicas":{{{replicas}}}}}""";
}
