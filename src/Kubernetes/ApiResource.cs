namespace KubeCache.Kubernetes;

/// <summary>
/// A kind as the API serves it: group ("" for the core group), version, plural and whether it is
/// namespaced. It names the collection for the generic calls of <see cref="KubernetesApi"/>,
/// which serve built-in kinds and custom resources alike.
/// </summary>
public sealed record ApiResource(string Group, string Version, string Plural, string Kind, bool Namespaced = true)
{
    public static readonly ApiResource Pods = new("", "v1", "pods", "Pod");
    public static readonly ApiResource ConfigMaps = new("", "v1", "configmaps", "ConfigMap");

    /// <summary>The object's <c>apiVersion</c>: <c>v1</c> for the core group, else <c>group/version</c>.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : Group + "/" + Version;
}
