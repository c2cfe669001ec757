namespace KubeCache.Operator.Builders;

/// <summary>The names of a KvCluster's objects, for a cluster named <c>demo</c> in the comments.</summary>
public static class ObjectNames
{
    /// <summary>"demo": its pods are demo-0, demo-1, ...</summary>
    public static string StatefulSet(string cluster) => cluster;

    /// <summary>"demo-nodes": the headless Service that gives node pods DNS names.</summary>
    public static string NodesService(string cluster) => cluster + "-nodes";

    /// <summary>"demo-ring": the ConfigMap holding ring.json.</summary>
    public static string RingConfigMap(string cluster) => cluster + "-ring";

    /// <summary>"demo-router".</summary>
    public static string RouterDeployment(string cluster) => cluster + "-router";

    /// <summary>"demo": the Service clients connect to.</summary>
    public static string RouterService(string cluster) => cluster;

    /// <summary>"demo-nodes".</summary>
    public static string PodDisruptionBudget(string cluster) => cluster + "-nodes";

    /// <summary>"demo": the ServiceAccount, Role and RoleBinding share it.</summary>
    public static string Rbac(string cluster) => cluster;

    /// <summary>"demo".</summary>
    public static string ServiceMonitor(string cluster) => cluster;
}
