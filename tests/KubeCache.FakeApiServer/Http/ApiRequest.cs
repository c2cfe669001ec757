using KubeCache.FakeApiServer.Errors;
using KubeCache.FakeApiServer.Resources;
using Microsoft.AspNetCore.Http;

namespace KubeCache.FakeApiServer.Http;

/// <summary>A request for a resource: <c>/api/v1/…</c> or <c>/apis/{group}/{version}/…</c> taken apart.</summary>
internal sealed record ApiRequest(HttpContext Context, Auth.UserInfo User, ResourceType Type, string? Namespace, string? Name, string Subresource)
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
    /// The request is authorized (<paramref name="authorize"/>) before its resource is looked up,
    /// so a resource the user may not touch is a 403 whether or not it is served, as in the apiserver.
    /// </summary>
    public static ApiRequest Parse(HttpContext context, Auth.UserInfo user, ResourceRegistry registry, string group, string version, string[] rest,
        bool watchPath, Action<Auth.RequestAttributes> authorize)
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
        var name = rest.Length >= 2 ? rest[1] : null;
        var sub = rest.Length == 3 ? rest[2] : "";
        authorize(Auth.AccessControl.Attributes(context.Request, group, rest[0], sub, ns, name, watchPath));
        var type = registry.Find(group, version, rest[0]) ?? throw ApiErrors.PathNotFound();
        if (ns is not null && !type.Namespaced)
        {
            throw ApiErrors.PathNotFound();
        }
        if (sub.Length > 0 && !(sub == "status" && type.HasStatus) && !(sub == "scale" && type.Scale is not null)
            && !(sub == "finalize" && type.Kind == "Namespace") && !(sub == "eviction" && type.StorageKey == "/pods"))
        {
            throw ApiErrors.PathNotFound();
        }
        return new ApiRequest(context, user, type, ns, name, sub);
    }
}
