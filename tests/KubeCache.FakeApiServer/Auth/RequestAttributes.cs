namespace KubeCache.FakeApiServer.Auth;

/// <summary>
/// What RBAC decides on: the verb (get, list, watch, create, update, patch, delete,
/// deletecollection), the API group, resource, subresource, namespace ("" at the cluster scope)
/// and the object's name ("" when the request names none).
/// </summary>
internal sealed record RequestAttributes(string Verb, string Group, string Resource, string Subresource, string Namespace, string Name)
{
    /// <summary><c>resource/subresource</c>, as rules and messages name it.</summary>
    public string CombinedResource => Subresource.Length == 0 ? Resource : Resource + "/" + Subresource;
}
