using System.Text.Json.Nodes;
using KubeCache.FakeApiServer.Errors;
using KubeCache.FakeApiServer.Json;
using KubeCache.FakeApiServer.Resources;
using static KubeCache.FakeApiServer.Auth.RbacAuthorizer;

namespace KubeCache.FakeApiServer.Auth;

/// <summary>
/// The checks a real cluster makes on writes beyond the verb: RBAC's escalation prevention (a
/// Role or ClusterRole may only grant what its writer holds, a binding may only bind a role whose
/// permissions its writer holds, unless granted <c>escalate</c> or <c>bind</c>), and
/// OwnerReferencesPermissionEnforcement (setting <c>blockOwnerDeletion</c> needs update on the
/// owner's <c>finalizers</c> subresource).
/// </summary>
internal sealed class RbacAdmission(RbacAuthorizer rbac, ResourceRegistry registry)
{
    private const string Rbac = "rbac.authorization.k8s.io";

    /// <summary>Checks a write of <paramref name="next"/> (replacing <paramref name="old"/>, null on create) by <paramref name="user"/>.</summary>
    public void Check(UserInfo user, ResourceType type, JsonObject? old, JsonObject next)
    {
        if (user.IsMaster)
        {
            return;
        }
        var ns = type.Namespaced ? next.Namespace() : "";
        CheckOwnerReferences(user, type, ns, old, next);
        if (type.Group != Rbac)
        {
            return;
        }
        var rules = type.Kind switch
        {
            "Role" or "ClusterRole" when !May(user, "escalate", type.Plural, ns, next.Name()) => Items(next, "rules"),
            "RoleBinding" or "ClusterRoleBinding" when !May(user, "bind", RoleResource(next), ns, next.Str("roleRef", "name") ?? "") => BoundRules(next, ns),
            _ => [],
        };
        var notHeld = rules.Where(rule => !Held(user, rule, ns)).ToList();
        if (notHeld.Count > 0)
        {
            var groups = string.Join(' ', user.Groups.Select(g => $"\"{g}\""));
            throw ApiErrors.ForbiddenWrite(type, next.Name(),
                $"user \"{user.Name}\" (groups=[{groups}]) is attempting to grant RBAC permissions not currently held:\n"
                + string.Join('\n', notHeld.Select(Describe)));
        }
    }

    private void CheckOwnerReferences(UserInfo user, ResourceType type, string ns, JsonObject? old, JsonObject next)
    {
        var blocking = (old is null ? [] : Items(old["metadata"], "ownerReferences")).Where(Blocks).Select(r => r.Str("uid")).ToHashSet();
        foreach (var reference in Items(next["metadata"], "ownerReferences").Where(r => Blocks(r) && !blocking.Contains(r.Str("uid"))))
        {
            var (group, version) = SplitApiVersion(reference.Str("apiVersion") ?? "");
            var owner = registry.FindByKind(group, version, reference.Str("kind") ?? "");
            var attributes = new RequestAttributes("update", group, owner?.Plural ?? "", "finalizers", owner is { Namespaced: true } ? ns : "", reference.Str("name") ?? "");
            if (owner is null || !rbac.Authorize(user, attributes).Allowed)
            {
                throw ApiErrors.ForbiddenWrite(type, next.Name(),
                    "cannot set blockOwnerDeletion if an ownerReference refers to a resource you can't set finalizers on: "
                    + $"User \"{user.Name}\" cannot update resource \"{attributes.CombinedResource}\" in API group \"{group}\" in the namespace \"{ns}\"");
            }
        }
    }

    private static bool Blocks(JsonObject reference) => reference["blockOwnerDeletion"]?.GetValueKind() == System.Text.Json.JsonValueKind.True;

    private bool May(UserInfo user, string verb, string resource, string ns, string name) =>
        rbac.Authorize(user, new RequestAttributes(verb, Rbac, resource, "", ns, name)).Allowed;

    /// <summary>The rules of the role a binding refers to (none when it does not exist, as the apiserver then has nothing to compare).</summary>
    private IEnumerable<JsonObject> BoundRules(JsonObject binding, string ns)
    {
        var role = rbac.Role(binding.Str("roleRef", "kind"), binding.Str("roleRef", "name") ?? "", ns);
        return role is null ? [] : Items(role, "rules");
    }

    private static string RoleResource(JsonObject binding) => binding.Str("roleRef", "kind") == "ClusterRole" ? "clusterroles" : "roles";

    /// <summary>Whether every verb on every resource (and name) the rule grants is granted to the user where the role applies.</summary>
    private bool Held(UserInfo user, JsonObject rule, string ns)
    {
        var names = Strings(rule, "resourceNames");
        return Strings(rule, "apiGroups").All(group => Strings(rule, "resources").All(resource => Strings(rule, "verbs").All(verb =>
        {
            var slash = resource.IndexOf('/', StringComparison.Ordinal);
            var (plural, sub) = slash < 0 ? (resource, "") : (resource[..slash], resource[(slash + 1)..]);
            return (names.Count == 0 ? [""] : names).All(name => rbac.Authorize(user, new RequestAttributes(verb, group, plural, sub, ns, name)).Allowed);
        })));
    }

    private static string Describe(JsonObject rule)
    {
        var text = $"{{APIGroups:[{Quoted(rule, "apiGroups")}], Resources:[{Quoted(rule, "resources")}]";
        if (Strings(rule, "resourceNames").Count > 0)
        {
            text += $", ResourceNames:[{Quoted(rule, "resourceNames")}]";
        }
        return text + $", Verbs:[{Quoted(rule, "verbs")}]}}";
    }

    private static string Quoted(JsonObject rule, string field) => string.Join(' ', Strings(rule, field).Select(s => $"\"{s}\""));

    private static (string Group, string Version) SplitApiVersion(string apiVersion)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
    }
}
