using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using KubeCache.FakeApiServer.Tests.Support;

namespace KubeCache.FakeApiServer.Tests;

/// <summary>Authentication by service-account token and RBAC authorization, as a real apiserver does them.</summary>
public sealed class RbacTests : IAsyncLifetime
{
    private const string User = "system:serviceaccount:default:app";
    private FakeApiServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeApiServer.StartAsync(new FakeApiServerOptions { Rbac = true });
        Create("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"ring","namespace":"default"},"data":{"k":"v"}}""");
        Create("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"other","namespace":"default"}}""");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Get_VerbGrantedByRole_Allowed()
    {
        Grant("Role", "default", """{"apiGroups":[""],"resources":["configmaps"],"verbs":["get"]}""");
        using var app = ClientFor("default", "app");

        var reply = await app.GetJsonAsync(Paths.ConfigMap("ring"));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
    }

    [Fact]
    public async Task List_VerbMissingFromRole_Returns403ForbiddenStatusWordedAsTheApiserver()
    {
        Grant("Role", "default", """{"apiGroups":[""],"resources":["configmaps"],"verbs":["get"]}""");
        using var app = ClientFor("default", "app");

        var reply = await app.GetJsonAsync(Paths.ConfigMaps);

        Assert.Equal(HttpStatusCode.Forbidden, reply.Status);
        Assert.Equal("Status", reply.Str("kind"));
        Assert.Equal("Failure", reply.Str("status"));
        Assert.Equal("Forbidden", reply.Str("reason"));
        Assert.Equal(403, reply.Long("code"));
        Assert.Equal("configmaps", reply.Str("details", "kind"));
        const string Message = $"configmaps is forbidden: User \"{User}\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"default\"";
        Assert.Equal(Message, reply.Str("message"));
        Assert.Equal([Message], _server.Denials);
    }

    [Fact]
    public async Task Patch_SubresourceAndGroupNamed_ForbiddenMessageNamesThem()
    {
        using var app = ClientFor("default", "app");

        var reply = await app.PatchAsync("/apis/apps/v1/namespaces/default/statefulsets/demo/status", "{}", ApiClient.Merge);

        Assert.Equal(HttpStatusCode.Forbidden, reply.Status);
        Assert.Equal(
            $"statefulsets.apps \"demo\" is forbidden: User \"{User}\" cannot patch resource \"statefulsets/status\" in API group \"apps\" in the namespace \"default\"",
            reply.Str("message"));
        Assert.Equal("apps", reply.Str("details", "group"));
        Assert.Equal("demo", reply.Str("details", "name"));
    }

    [Fact]
    public async Task ListAndWatch_RuleWithResourceNames_AllowedOnlyWithThatNameSelected()
    {
        Grant("Role", "default", """{"apiGroups":[""],"resources":["configmaps"],"resourceNames":["ring"],"verbs":["get","list","watch"]}""");
        using var app = ClientFor("default", "app");

        var named = await app.GetJsonAsync(Paths.ConfigMaps + "?fieldSelector=metadata.name%3Dring");
        var other = await app.GetJsonAsync(Paths.ConfigMap("other"));
        var all = await app.GetJsonAsync(Paths.ConfigMaps);
        var watch = await app.GetJsonAsync(Paths.ConfigMaps + "?watch=true&fieldSelector=metadata.name%3Dother");

        Assert.Equal(HttpStatusCode.OK, named.Status);
        Assert.Equal(HttpStatusCode.Forbidden, other.Status);
        Assert.Equal(HttpStatusCode.Forbidden, all.Status);
        Assert.Equal(HttpStatusCode.Forbidden, watch.Status);
        Assert.Contains("cannot watch resource \"configmaps\"", watch.Str("message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_ThatCreatesWithPatchOnly_Forbidden_ThatUpdatesAllowed()
    {
        Grant("Role", "default", """{"apiGroups":[""],"resources":["configmaps"],"verbs":["patch"]}""");
        using var app = ClientFor("default", "app");
        const string Config = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{0}"},"data":{"k":"applied"}}""";

        var create = await app.PatchAsync(Paths.ConfigMap("fresh") + "?fieldManager=app", Config.Replace("{0}", "fresh", StringComparison.Ordinal), ApiClient.Apply);
        var update = await app.PatchAsync(Paths.ConfigMap("ring") + "?fieldManager=app&force=true", Config.Replace("{0}", "ring", StringComparison.Ordinal), ApiClient.Apply);

        Assert.Equal(HttpStatusCode.Forbidden, create.Status);
        Assert.Contains("cannot create resource \"configmaps\"", create.Str("message"), StringComparison.Ordinal);
        Assert.Null(_server.Get("", "configmaps", "default", "fresh"));
        Assert.Equal(HttpStatusCode.OK, update.Status);
    }

    [Fact]
    public async Task Get_ClusterRoleBoundByRoleBinding_GrantsOnlyInTheBindingsNamespace()
    {
        Create("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"elsewhere"}}""");
        Create("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"ring","namespace":"elsewhere"}}""");
        Grant("ClusterRole", "default", """{"apiGroups":[""],"resources":["configmaps"],"verbs":["get"]}""");
        using var app = ClientFor("default", "app");

        var here = await app.GetJsonAsync(Paths.ConfigMap("ring"));
        var there = await app.GetJsonAsync("/api/v1/namespaces/elsewhere/configmaps/ring");

        Assert.Equal(HttpStatusCode.OK, here.Status);
        Assert.Equal(HttpStatusCode.Forbidden, there.Status);
        Assert.EndsWith("in the namespace \"elsewhere\"", there.Str("message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_AllNamespacesWithClusterRoleBinding_AllowedAndGroupSubjectsMatch()
    {
        Create("""{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"reader"},"rules":[{"apiGroups":[""],"resources":["configmaps"],"verbs":["list"]}]}""");
        Create("""{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBinding","metadata":{"name":"reader"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"reader"},"subjects":[{"kind":"Group","name":"system:serviceaccounts:default"}]}""");
        using var app = ClientFor("default", "app");
        using var outsider = ClientFor("kube-system", "app");

        var allowed = await app.GetJsonAsync("/api/v1/configmaps");
        var denied = await outsider.GetJsonAsync("/api/v1/configmaps");

        Assert.Equal(HttpStatusCode.OK, allowed.Status);
        Assert.Equal(HttpStatusCode.Forbidden, denied.Status);
        Assert.EndsWith("at the cluster scope", denied.Str("message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_ResourceNotServedNorGranted_Returns403BeforeLookingItUp()
    {
        using var app = ClientFor("default", "app");
        using var admin = _server.CreateClient();
        const string Path = "/apis/monitoring.coreos.com/v1/namespaces/default/servicemonitors/demo";

        var denied = await app.DeleteAsync(Path, null);
        var missing = await admin.DeleteAsync(Path, null);

        Assert.Equal(HttpStatusCode.Forbidden, denied.Status);
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
    }

    [Fact]
    public async Task Get_BindingToMissingRole_ReasonNamesTheMissingRole()
    {
        Create("""{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"b","namespace":"default"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"gone"},"subjects":[{"kind":"ServiceAccount","name":"app","namespace":"default"}]}""");
        using var app = ClientFor("default", "app");

        var reply = await app.GetJsonAsync(Paths.ConfigMap("ring"));

        Assert.Equal(HttpStatusCode.Forbidden, reply.Status);
        Assert.EndsWith(": RBAC: role.rbac.authorization.k8s.io \"gone\" not found", reply.Str("message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requests_AdminDiscoveryAndUnknownToken_AdminAllowedDiscoveryOpenUnknown401()
    {
        using var admin = _server.CreateClient();
        using var app = ClientFor("default", "app");
        using var stranger = new HttpClient { BaseAddress = _server.BaseAddress };
        stranger.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "made-up");

        Assert.Equal(HttpStatusCode.OK, (await admin.GetJsonAsync(Paths.ConfigMaps)).Status);
        Assert.Equal(HttpStatusCode.OK, (await app.GetJsonAsync("/api")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetJsonAsync("/api")).Status);
        Assert.Contains(User, _server.Users);
    }

    [Fact]
    public async Task RotateServiceAccountToken_OldTokenRefused_NewTokenAccepted()
    {
        string old = _server.ServiceAccountToken("default", "app");
        string fresh = _server.RotateServiceAccountToken("default", "app");
        using var before = WithToken(old);
        using var after = WithToken(fresh);

        Assert.NotEqual(old, fresh);
        Assert.Equal(HttpStatusCode.Unauthorized, (await before.GetJsonAsync("/api")).Status);
        Assert.Equal(HttpStatusCode.OK, (await after.GetJsonAsync("/api")).Status);
    }

    // kubectl sends no bearer token over plain HTTP, so a server that checks tokens serves it over HTTPS.
    [Fact]
    public async Task KubectlApplyServerSide_AsAdminOverHttps_Allowed()
    {
        await using var secure = await FakeApiServer.StartAsync(new FakeApiServerOptions { Rbac = true, UseHttps = true });

        var result = await new Kubectl(secure).RunAsync(["apply", "--server-side", "-f", "-"],
            """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"by-kubectl","namespace":"default"}}""");

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task CreateRole_GrantingAVerbTheWriterLacks_Returns403Escalation()
    {
        Grant("Role", "default", """{"apiGroups":["rbac.authorization.k8s.io"],"resources":["roles"],"verbs":["create"]},{"apiGroups":[""],"resources":["configmaps"],"verbs":["get"]}""");
        using var app = ClientFor("default", "app");
        const string Role = """{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"{0}"},"rules":[{"apiGroups":[""],"resources":["configmaps"],"resourceNames":["ring"],"verbs":[{1}]}]}""";

        var held = await app.PostAsync("/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles", Role.Replace("{0}", "held").Replace("{1}", "\"get\""));
        var escalating = await app.PostAsync("/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles", Role.Replace("{0}", "more").Replace("{1}", "\"get\",\"watch\""));

        Assert.Equal(HttpStatusCode.Created, held.Status);
        Assert.Equal(HttpStatusCode.Forbidden, escalating.Status);
        Assert.StartsWith($"roles.rbac.authorization.k8s.io \"more\" is forbidden: user \"{User}\" (groups=[", escalating.Str("message"), StringComparison.Ordinal);
        Assert.EndsWith("is attempting to grant RBAC permissions not currently held:\n{APIGroups:[\"\"], Resources:[\"configmaps\"], ResourceNames:[\"ring\"], Verbs:[\"get\" \"watch\"]}",
            escalating.Str("message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateRoleBinding_ToARoleWhosePermissionsTheWriterLacks_Returns403()
    {
        Grant("Role", "default", """{"apiGroups":["rbac.authorization.k8s.io"],"resources":["rolebindings"],"verbs":["create"]}""");
        Create("""{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"secrets","namespace":"default"},"rules":[{"apiGroups":[""],"resources":["secrets"],"verbs":["get"]}]}""");
        using var app = ClientFor("default", "app");

        var reply = await app.PostAsync("/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings",
            """{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"me"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"secrets"},"subjects":[{"kind":"ServiceAccount","name":"app","namespace":"default"}]}""");

        Assert.Equal(HttpStatusCode.Forbidden, reply.Status);
        Assert.Contains("attempting to grant RBAC permissions not currently held", reply.Str("message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_BlockOwnerDeletionWithoutOwnersFinalizersUpdate_Returns403()
    {
        Grant("Role", "default", """{"apiGroups":[""],"resources":["configmaps"],"verbs":["create"]}""");
        string owner = _server.Get("", "configmaps", "default", "ring")!["metadata"]!["uid"]!.GetValue<string>();
        using var app = ClientFor("default", "app");
        string Owned(string name, bool block) =>
            $$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}","ownerReferences":[{"apiVersion":"v1","kind":"ConfigMap","name":"ring","uid":"{{{owner}}}","blockOwnerDeletion":{{{(block ? "true" : "false")}}}}]}}""";

        var plain = await app.PostAsync(Paths.ConfigMaps, Owned("plain", block: false));
        var blocking = await app.PostAsync(Paths.ConfigMaps, Owned("blocking", block: true));
        Grant("Role", "default", """{"apiGroups":[""],"resources":["configmaps/finalizers"],"verbs":["update"]}""", "finalizers");
        var granted = await app.PostAsync(Paths.ConfigMaps, Owned("granted", block: true));

        Assert.Equal(HttpStatusCode.Created, plain.Status);
        Assert.Equal(HttpStatusCode.Forbidden, blocking.Status);
        Assert.Equal(
            $"configmaps \"blocking\" is forbidden: cannot set blockOwnerDeletion if an ownerReference refers to a resource you can't set finalizers on: User \"{User}\" cannot update resource \"configmaps/finalizers\" in API group \"\" in the namespace \"default\"",
            blocking.Str("message"));
        Assert.Equal(HttpStatusCode.Created, granted.Status);
    }

    private void Create(string json) => _server.Create(JsonNode.Parse(json)!.AsObject());

    /// <summary>A role of <paramref name="kind"/> (named "app" unless told) with <paramref name="rules"/>, bound by a RoleBinding in <paramref name="ns"/> to service account default/app.</summary>
    private void Grant(string kind, string ns, string rules, string name = "app")
    {
        string roleNamespace = kind == "Role" ? $",\"namespace\":\"{ns}\"" : "";
        Create($$"""{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"{{kind}}","metadata":{"name":"{{name}}"{{roleNamespace}}},"rules":[{{rules}}]}""");
        Create($$"""{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"{{name}}","namespace":"{{ns}}"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"{{kind}}","name":"{{name}}"},"subjects":[{"kind":"ServiceAccount","name":"app","namespace":"default"}]}""");
    }

    private HttpClient ClientFor(string ns, string name) => WithToken(_server.ServiceAccountToken(ns, name));

    private HttpClient WithToken(string token)
    {
        var client = new HttpClient { BaseAddress = _server.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
