namespace KubeCache.FakeApiServer.Resources;

/// <summary>The built-in resources registered when the server starts.</summary>
internal static class BuiltInResources
{
    private static readonly ScaleSubresource WorkloadScale =
        new(".spec.replicas", ".status.replicas", null) { SelectorFromSpec = true };

    public static IEnumerable<ResourceType> All()
    {
        yield return Core("namespaces", "namespace", "Namespace", namespaced: false, ["ns"], status: true);
        yield return Core("configmaps", "configmap", "ConfigMap", namespaced: true, ["cm"]);
        yield return Core("secrets", "secret", "Secret", namespaced: true, []);
        yield return Core("pods", "pod", "Pod", namespaced: true, ["po"], status: true, categories: ["all"]);
        yield return Core("services", "service", "Service", namespaced: true, ["svc"], status: true, categories: ["all"]);
        yield return Core("serviceaccounts", "serviceaccount", "ServiceAccount", namespaced: true, ["sa"]);
        yield return Core("events", "event", "Event", namespaced: true, ["ev"]);
        yield return Core("endpoints", "endpoints", "Endpoints", namespaced: true, ["ep"]);
        yield return Workload("statefulsets", "statefulset", "StatefulSet", ["sts"]);
        yield return Workload("deployments", "deployment", "Deployment", ["deploy"]);
        yield return Make("policy", "v1", "poddisruptionbudgets", "poddisruptionbudget", "PodDisruptionBudget", true, ["pdb"], status: true, generation: true);
        yield return Make("rbac.authorization.k8s.io", "v1", "roles", "role", "Role", true, []);
        yield return Make("rbac.authorization.k8s.io", "v1", "rolebindings", "rolebinding", "RoleBinding", true, []);
        yield return Make("rbac.authorization.k8s.io", "v1", "clusterroles", "clusterrole", "ClusterRole", false, []);
        yield return Make("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", false, []);
        yield return Make("coordination.k8s.io", "v1", "leases", "lease", "Lease", true, []);
        yield return Make("events.k8s.io", "v1", "events", "event", "Event", true, ["ev"]);
        yield return Make("discovery.k8s.io", "v1", "endpointslices", "endpointslice", "EndpointSlice", true, []);
        yield return Make("apiextensions.k8s.io", "v1", "customresourcedefinitions", "customresourcedefinition", "CustomResourceDefinition", false, ["crd", "crds"], status: true, generation: true);
        yield return Make("monitoring.coreos.com", "v1", "servicemonitors", "servicemonitor", "ServiceMonitor", true, ["smon"], generation: true, custom: true);
    }

    private static ResourceType Core(string plural, string singular, string kind, bool namespaced, string[] shortNames, bool status = false, string[]? categories = null) =>
        Make("", "v1", plural, singular, kind, namespaced, shortNames, status, categories: categories);

    private static ResourceType Workload(string plural, string singular, string kind, string[] shortNames) =>
        new()
        {
            Group = "apps",
            Version = "v1",
            Plural = plural,
            Singular = singular,
            Kind = kind,
            Namespaced = true,
            ShortNames = shortNames,
            Categories = ["all"],
            HasStatus = true,
            HasGeneration = true,
            Scale = WorkloadScale,
        };

    private static ResourceType Make(string group, string version, string plural, string singular, string kind, bool namespaced,
        string[] shortNames, bool status = false, bool generation = false, bool custom = false, string[]? categories = null) =>
        new()
        {
            Group = group,
            Version = version,
            Plural = plural,
            Singular = singular,
            Kind = kind,
            Namespaced = namespaced,
            ShortNames = shortNames,
            Categories = categories ?? [],
            HasStatus = status,
            HasGeneration = generation,
            IsCustom = custom,
        };
}
