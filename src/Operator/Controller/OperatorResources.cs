using KubeCache.Kubernetes;
using KubeCache.Operator.Resources;

namespace KubeCache.Operator.Controller;

/// <summary>The API resources the operator reads and writes.</summary>
public static class OperatorResources
{
    public static readonly ApiResource KvClusters = new(KvCluster.Group, KvCluster.Version, KvCluster.Plural, KvCluster.KindName);
    public static readonly ApiResource StatefulSets = new("apps", "v1", "statefulsets", "StatefulSet");
    public static readonly ApiResource Deployments = new("apps", "v1", "deployments", "Deployment");
    public static readonly ApiResource Services = new("", "v1", "services", "Service");
    public static readonly ApiResource ServiceAccounts = new("", "v1", "serviceaccounts", "ServiceAccount");
    public static readonly ApiResource Secrets = new("", "v1", "secrets", "Secret");
    public static readonly ApiResource Roles = new("rbac.authorization.k8s.io", "v1", "roles", "Role");
    public static readonly ApiResource RoleBindings = new("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding");
    public static readonly ApiResource PodDisruptionBudgets = new("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget");
    public static readonly ApiResource ServiceMonitors = new("monitoring.coreos.com", "v1", "servicemonitors", "ServiceMonitor");
    public static readonly ApiResource PodMonitors = new("monitoring.coreos.com", "v1", "podmonitors", "PodMonitor");

    /// <summary>The field manager of every object the operator applies.</summary>
    public const string FieldManager = "kvcache-operator";

    /// <summary>The field manager of KvCluster status writes, so spec and status ownership stay apart.</summary>
    public const string StatusFieldManager = "kvcache-operator-status";

    /// <summary>reportingController of the operator's Events.</summary>
    public const string ReportingController = "kubecache.io/operator";
}
