using KubeCache.FakeApiServer.Errors;
using KubeCache.FakeApiServer.Resources;
using Microsoft.AspNetCore.Http;

namespace KubeCache.FakeApiServer.Http;

/// <summary>A request for a resource: <c>/api/v1/…</c> or <c>/apis/{group}/{version}/…</c> taken apart.</summary>
internal sealed record ApiRequest(HttpContext Context, ResourceType Type, string? Namespace, string? Name, string Subresource)
{
    public IQueryCollection Query => Context.Request.Query;

    public string Method => Context.Request.Method;

    /// <summary>The namespace to store under: the path's, or "" for cluster-scoped kinds.</summary>
    public string StorageNamespace => Type.Namespaced ? Namespace ?? "" : "";

    public string? QueryValue(string name) => Query.TryGetValue(name, out var v) && v.Count > 0 ? v[0] : null;

    public bool Flag(string name) => QueryValue(name) is "true" or "1";

    /// <summary>
    /// Splits the part after the group version: <c>[namespaces/{ns}/]{resource}[/{name}[/{sub}]]</c>.
    /// The namespaces resource itself (<c>namespaces/{name}[/status]</c>) is told apart by shape.
    /// </summary>
    public static ApiRequest Parse(HttpContext context, ResourceRegistry registry, string group, string version, string[] rest)
    {
        string? ns = null;
        if (rest[0] == "namespaces" && rest.Length >= 3 && !(rest.Length == 3 && rest[2] is "status" or "finalize"))
        {
            ns = rest[1];
            rest = rest[2..];
        }
        if (rest.Length > 3)
        {
            throw ApiErrors.PathNotFound();
        }
        var type = registry.Find(group, version, rest[0]) ?? throw ApiErrors.PathNotFound();
        if (ns is not null && !type.Namespaced)
        {
            throw ApiErrors.PathNotFound();
        }
        var sub = rest.Length == 3 ? rest[2] : "";
        if (sub.Length > 0 && !(sub == "status" && type.HasStatus) && !(sub == "scale" && type.Scale is not null)
            && !(sub == "finalize" && type.Kind == "Namespace"))
        {
            throw ApiErrors.PathNotFound();
        }
        return new ApiRequest(context, type, ns, rest.Length >= 2 ? rest[1] : null, sub);
    }
}
