namespace KubeCache.Operator.Builders;

/// <summary>The names of a KvCluster's objects, for a cluster named <c>demo</c> in the comments.</summary>
public static partial class ObjectNames
{
    /// <summary>
    /// Longest KvCluster name: 52 characters. The StatefulSet, named like the cluster, labels its
    /// pods <c>controller-revision-hash: &lt;name&gt;-&lt;hash of up to 10 characters&gt;</c>, and a
    /// label value holds at most 63; the longest Service name (<c>&lt;name&gt;-nodes</c>) fits too.
    /// </summary>
    public const int MaxClusterNameLength = 52;

    /// <summary>A DNS-1035 label, what a Service name must be: lower-case letters, digits and '-', starting with a letter.</summary>
    public const string ClusterNamePattern = "^[a-z]([-a-z0-9]*[a-z0-9])?$";

    /// <summary>The CEL rule the CRD checks metadata.name with at admission.</summary>
    public static string ClusterNameRule =>
        $"self.metadata.name.size() <= {MaxClusterNameLength} && self.metadata.name.matches('{ClusterNamePattern}')";

    /// <summary>What is wrong with a name that breaks <see cref="ClusterNameRule"/>.</summary>
    public static string ClusterNameMessage =>
        $"metadata.name must have at most {MaxClusterNameLength} characters, lower-case letters, digits and '-', start with a letter and end with a letter or digit: it names the cluster's Services and StatefulSet pods.";

    /// <summary><see cref="ClusterNameMessage"/> when <paramref name="cluster"/> cannot name the cluster's objects; null when it can.</summary>
    public static string? ClusterNameProblem(string cluster) =>
        cluster.Length <= MaxClusterNameLength && ClusterName().IsMatch(cluster) ? null : ClusterNameMessage;

    [System.Text.RegularExpressions.GeneratedRegex(ClusterNamePattern)]
    private static partial System.Text.RegularExpressions.Regex ClusterName();

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

    /// <summary>"demo-router".</summary>
    public static string RouterPodDisruptionBudget(string cluster) => cluster + "-router";

    /// <summary>"demo": the ServiceAccount, Role and RoleBinding share it.</summary>
    public static string Rbac(string cluster) => cluster;

    /// <summary>"demo".</summary>
    public static string ServiceMonitor(string cluster) => cluster;

    /// <summary>"demo", as the ServiceMonitor (a different kind).</summary>
    public static string PodMonitor(string cluster) => cluster;
}
