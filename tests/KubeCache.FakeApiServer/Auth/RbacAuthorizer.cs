using System.Text.Json.Nodes;
using KubeCache.FakeApiServer.Json;
using KubeCache.FakeApiServer.Storage;

namespace KubeCache.FakeApiServer.Auth;

/// <summary>
/// The RBAC authorizer over the stored Roles, ClusterRoles, RoleBindings and
/// ClusterRoleBindings: a request is allowed when a rule of a role bound to its user (or one of
/// the user's groups) matches it — ClusterRoleBindings everywhere, RoleBindings in their own
/// namespace only. Members of system:masters are never checked, as in a real cluster.
/// </summary>
internal sealed class RbacAuthorizer(ResourceStore store)
{
    private const string Rbac = "rbac.authorization.k8s.io";

    /// <summary>
    /// Whether <paramref name="user"/> may do <paramref name="request"/>; when not, the reason a
    /// real apiserver appends (bindings whose role does not exist), or "".
    /// </summary>
    public (bool Allowed, string Reason) Authorize(UserInfo user, RequestAttributes request)
    {
        if (user.IsMaster)
        {
            return (true, "");
        }
        var missing = new List<string>();
        foreach (var binding in store.List($"{Rbac}/clusterrolebindings", null))
        {
            if (Binds(binding, user, "") && Allows(RoleOf(binding, "", missing), request))
            {
                return (true, "");
            }
        }
        if (request.Namespace.Length > 0)
        {
            foreach (var binding in store.List($"{Rbac}/rolebindings", request.Namespace))
            {
                if (Binds(binding, user, request.Namespace) && Allows(RoleOf(binding, request.Namespace, missing), request))
                {
                    return (true, "");
                }
            }
        }
        return (false, missing.Count == 0 ? "" : "RBAC: " + string.Join(", ", missing));
    }

    private static bool Binds(JsonObject binding, UserInfo user, string bindingNamespace) =>
        Items(binding, "subjects").Any(s => s.Str("kind") switch
        {
            "ServiceAccount" => user.Name == $"system:serviceaccount:{s.Str("namespace") ?? bindingNamespace}:{s.Str("name")}",
            "User" => user.Name == s.Str("name"),
            "Group" => user.Groups.Contains(s.Str("name") ?? ""),
            _ => false,
        });

    /// <summary>A Role in <paramref name="ns"/> or a ClusterRole, by the kind a roleRef names; null when it does not exist.</summary>
    public JsonObject? Role(string? kind, string name, string ns) =>
        kind == "ClusterRole" ? store.Get($"{Rbac}/clusterroles", "", name) : kind == "Role" ? store.Get($"{Rbac}/roles", ns, name) : null;

    /// <summary>The role a binding refers to (a Role in the binding's namespace, or a ClusterRole), or null, noted as missing.</summary>
    private JsonObject? RoleOf(JsonObject binding, string ns, List<string> missing)
    {
        var kind = binding.Str("roleRef", "kind");
        var name = binding.Str("roleRef", "name") ?? "";
        var role = Role(kind, name, ns);
        if (role is null)
        {
            missing.Add($"{kind?.ToLowerInvariant()}.{Rbac} \"{name}\" not found");
        }
        return role;
    }

    private static bool Allows(JsonObject? role, RequestAttributes request) =>
        role is not null && Items(role, "rules").Any(rule => Matches(rule, request));

    /// <summary>Rule matching as RBAC does it: verbs, API groups, resources (with <c>*/sub</c>) and resource names.</summary>
    private static bool Matches(JsonObject rule, RequestAttributes request)
    {
        var verbs = Strings(rule, "verbs");
        var groups = Strings(rule, "apiGroups");
        var resources = Strings(rule, "resources");
        var names = Strings(rule, "resourceNames");
        return (verbs.Contains("*") || verbs.Contains(request.Verb))
            && (groups.Contains("*") || groups.Contains(request.Group))
            && resources.Any(r => r == "*" || r == request.CombinedResource || request.Subresource.Length > 0 && r == "*/" + request.Subresource)
            && (names.Count == 0 || request.Name.Length > 0 && names.Contains(request.Name));
    }

    /// <summary>The objects of the array <paramref name="field"/> of <paramref name="obj"/>; none when it is missing.</summary>
    internal static IEnumerable<JsonObject> Items(JsonNode? obj, string field) =>
        obj is JsonObject o && o[field] is JsonArray items ? items.OfType<JsonObject>() : [];

    /// <summary>The strings of a rule's array <paramref name="field"/> (verbs, apiGroups, resources, resourceNames).</summary>
    internal static List<string> Strings(JsonObject rule, string field) =>
        rule[field] is JsonArray items ? [.. items.Select(i => i?.GetValue<string>() ?? "")] : [];
}
