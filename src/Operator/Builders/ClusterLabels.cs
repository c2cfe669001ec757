namespace KubeCache.Operator.Builders;

/// <summary>The labels every object of a KvCluster carries, and the selectors built from them.</summary>
public static class ClusterLabels
{
    public const string NameKey = "app.kubernetes.io/name";
    public const string InstanceKey = "app.kubernetes.io/instance";
    public const string ComponentKey = "app.kubernetes.io/component";
    public const string ManagedByKey = "app.kubernetes.io/managed-by";

    /// <summary>Value of <see cref="NameKey"/>.</summary>
    public const string AppName = "kvcache";

    /// <summary>Value of <see cref="ManagedByKey"/>; also the server-side apply field manager.</summary>
    public const string ManagedBy = "kvcache-operator";

    public const string NodeComponent = "node";
    public const string RouterComponent = "router";

    /// <summary>
    /// Labels of an object: name, instance and managed-by, plus component when the object
    /// belongs to one component (objects both use, such as the ring ConfigMap, have none).
    /// </summary>
    public static Dictionary<string, string> For(string cluster, string? component)
    {
        var labels = new Dictionary<string, string>
        {
            [NameKey] = AppName,
            [InstanceKey] = cluster,
        };
        if (component is not null)
        {
            labels[ComponentKey] = component;
        }

        labels[ManagedByKey] = ManagedBy;
        return labels;
    }

    /// <summary>
    /// The labels that select a component's pods. managed-by is left out: selectors are
    /// immutable, and a label that says who manages an object is not its identity.
    /// </summary>
    public static Dictionary<string, string> Selector(string cluster, string component) => new()
    {
        [NameKey] = AppName,
        [InstanceKey] = cluster,
        [ComponentKey] = component,
    };

    /// <summary>
    /// The node pods' selector in its serialised form (keys sorted), for the KvCluster's
    /// <c>status.selector</c>, which the scale subresource hands to autoscalers.
    /// </summary>
    public static string NodeSelectorString(string cluster) =>
        string.Join(',', Selector(cluster, NodeComponent).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
}
