namespace KubeCache.Kubernetes.Models;

/// <summary>
/// A list response (<c>PodList</c>, <c>LeaseList</c>, ...) with every page collected. The client
/// parses it itself, so callers only supply the item type's <c>JsonTypeInfo</c>.
/// </summary>
public sealed class KubernetesList<T>
{
    /// <summary>The resourceVersion of the first page; pages of one list share it. Watch from here.</summary>
    public ListMeta Metadata { get; init; } = new();

    public List<T> Items { get; init; } = [];
}
