using System.Text;

namespace KubeCache.Kubernetes;

/// <summary>
/// Names one kind of resource the API serves, e.g. <c>coordination.k8s.io/v1 leases (Lease)</c>.
/// The client builds every URL from it: core types (empty <see cref="Group"/>) live under
/// <c>/api/v1</c>, all others under <c>/apis/{group}/{version}</c>.
/// </summary>
/// <param name="Group">API group; empty for the core group (Pods, ConfigMaps).</param>
/// <param name="Version">API version, e.g. <c>v1</c>.</param>
/// <param name="Plural">Lower-case plural used in URLs, e.g. <c>leases</c>.</param>
/// <param name="Kind">The object's <c>kind</c>, e.g. <c>Lease</c>.</param>
/// <param name="Namespaced">Whether objects live in a namespace.</param>
public sealed record ApiResource(string Group, string Version, string Plural, string Kind, bool Namespaced = true)
{
    public static readonly ApiResource Pods = new("", "v1", "pods", "Pod");
    public static readonly ApiResource ConfigMaps = new("", "v1", "configmaps", "ConfigMap");
    public static readonly ApiResource Leases = new("coordination.k8s.io", "v1", "leases", "Lease");
    public static readonly ApiResource Events = new("events.k8s.io", "v1", "events", "Event");

    /// <summary>The <c>apiVersion</c> objects of this resource carry: <c>v1</c> or <c>group/version</c>.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : Group + "/" + Version;

    /// <summary>
    /// The path of the collection (<paramref name="name"/> null) or of one object, optionally a
    /// subresource of it. A null or empty namespace on a namespaced resource means all namespaces
    /// (valid for list and watch only).
    /// </summary>
    internal string PathFor(string? ns, string? name = null, string? subresource = null)
    {
        var path = new StringBuilder(Group.Length == 0 ? "/api/" : "/apis/" + Group + "/");
        path.Append(Version);
        if (Namespaced && !string.IsNullOrEmpty(ns))
        {
            path.Append("/namespaces/").Append(Uri.EscapeDataString(ns));
        }
        path.Append('/').Append(Plural);
        if (name is not null)
        {
            if (name.Length == 0)
            {
                ThrowHelper.ThrowArgument(nameof(name), "An object name must not be empty.");
            }
            if (Namespaced && string.IsNullOrEmpty(ns))
            {
                ThrowHelper.ThrowArgument(nameof(ns), $"{Kind} is namespaced: give the namespace of '{name}'.");
            }
            path.Append('/').Append(Uri.EscapeDataString(name));
            if (subresource is not null)
            {
                path.Append('/').Append(subresource);
            }
        }
        return path.ToString();
    }
}
