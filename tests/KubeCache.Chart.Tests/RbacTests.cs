using KubeCache.Chart.Tests.Support;

namespace KubeCache.Chart.Tests;

public sealed class RbacTests
{
    private const string Applied = "create,patch";

    /// <summary>
    /// Exactly what the operator calls where it watches: (apiGroup, resource) → verbs. Objects are
    /// only ever server-side applied (patch, create on the first apply); informers list and watch.
    /// </summary>
    private static readonly Dictionary<string, string> OperatorGrants = new()
    {
        ["kubecache.io/kvclusters"] = "list,watch",
        ["kubecache.io/kvclusters/status"] = "patch",
        ["kubecache.io/kvclusters/finalizers"] = "update",
        ["apps/statefulsets"] = "list,watch," + Applied,
        ["apps/deployments"] = "list,watch," + Applied,
        ["/configmaps"] = "get,list,watch," + Applied,
        ["/services"] = Applied,
        ["/serviceaccounts"] = Applied,
        ["rbac.authorization.k8s.io/roles"] = Applied,
        ["rbac.authorization.k8s.io/rolebindings"] = Applied,
        ["policy/poddisruptionbudgets"] = Applied + ",delete",
        ["/pods"] = "list,watch,delete",
        ["events.k8s.io/events"] = "create,patch",
        ["/secrets"] = "get",
    };

    [Fact]
    public void Template_EveryRule_NamesItsVerbsResourcesAndGroupsWithoutWildcards()
    {
        Manifests manifests = Helm.Template("rbac.serviceMonitors=true", "rbac.podMonitors=true").Manifests();
        var rules = manifests.All.Where(m => m.Kind is "Role" or "ClusterRole").SelectMany(m => m.Root.Items("rules")).ToList();

        Assert.NotEmpty(rules);
        Assert.All(rules, rule =>
        {
            Assert.NotEmpty(rule.Strings("verbs"));
            Assert.NotEmpty(rule.Strings("resources"));
            Assert.DoesNotContain("*", rule.Strings("verbs"));
            Assert.DoesNotContain("*", rule.Strings("resources"));
            Assert.DoesNotContain("*", rule.Strings("apiGroups"));
            Assert.Empty(rule.Items("nonResourceURLs"));
            Assert.DoesNotContain(rule.Strings("verbs"), v => v is "escalate" or "bind" or "impersonate");
        });
    }

    [Fact]
    public void Template_Defaults_ClusterRoleGrantsExactlyWhatTheOperatorNeeds()
    {
        Manifest role = DefaultRender.Manifests.Get("ClusterRole", "kvcache-operator");

        Assert.Equal(OperatorGrants.OrderBy(g => g.Key, StringComparer.Ordinal), Grants(role).OrderBy(g => g.Key, StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("rbac.serviceMonitors=true")]
    [InlineData("cluster.monitoring.serviceMonitor.enabled=true")]
    public void Template_ServiceMonitorsWanted_GrantsServiceMonitorsToo(string set)
    {
        Manifest role = Helm.Template(set).Manifests().Get("ClusterRole", "kvcache-operator");
        var expected = new Dictionary<string, string>(OperatorGrants) { ["monitoring.coreos.com/servicemonitors"] = Applied + ",delete" };

        Assert.Equal(expected.OrderBy(g => g.Key, StringComparer.Ordinal), Grants(role).OrderBy(g => g.Key, StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("rbac.podMonitors=true")]
    [InlineData("cluster.monitoring.podMonitor.enabled=true")]
    public void Template_PodMonitorsWanted_GrantsPodMonitorsToo(string set)
    {
        Manifest role = Helm.Template(set).Manifests().Get("ClusterRole", "kvcache-operator");
        var expected = new Dictionary<string, string>(OperatorGrants) { ["monitoring.coreos.com/podmonitors"] = Applied + ",delete" };

        Assert.Equal(expected.OrderBy(g => g.Key, StringComparer.Ordinal), Grants(role).OrderBy(g => g.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void Template_Defaults_LeaderElectionRoleIsLimitedToTheLeaseInTheReleaseNamespace()
    {
        Manifest role = DefaultRender.Manifests.Get("Role", "kvcache-operator-leader-election");
        var leaseRules = role.Root.Items("rules").Where(r => r.Strings("resources").Contains("leases")).ToList();

        Assert.Equal(Helm.Namespace, role.Namespace);
        Assert.Equal(["create"], leaseRules.Single(r => r.Items("resourceNames").Count == 0).Strings("verbs"));
        var named = leaseRules.Single(r => r.Items("resourceNames").Count > 0);
        Assert.Equal(["kvcache-operator-leader"], named.Strings("resourceNames"));
        Assert.Equal(["get", "update"], named.Strings("verbs"));
        Assert.Equal(["coordination.k8s.io"], named.Strings("apiGroups"));
    }

    [Fact]
    public void Template_Defaults_BindingsGrantTheRolesToTheOperatorServiceAccount()
    {
        Manifests manifests = DefaultRender.Manifests;
        var bindings = manifests.All.Where(m => m.Kind is "RoleBinding" or "ClusterRoleBinding").ToList();

        Assert.Equal(2, bindings.Count);
        Assert.All(bindings, binding =>
        {
            var subject = binding.Root.Items("subjects").Single();
            Assert.Equal("ServiceAccount", subject.Str("kind"));
            Assert.Equal("kvcache-operator", subject.Str("name"));
            Assert.Equal(Helm.Namespace, subject.Str("namespace"));
            Assert.NotNull(manifests.Find(binding.Root.Str("roleRef", "kind")!, binding.Root.Str("roleRef", "name")!));
        });
    }

    [Fact]
    public void Template_WatchNamespaceSet_GrantsARoleInThatNamespaceInsteadOfAClusterRole()
    {
        Manifests manifests = Helm.Template("operator.watchNamespace=apps").Manifests();
        Manifest role = manifests.Get("Role", "kvcache-operator");
        Manifest binding = manifests.Get("RoleBinding", "kvcache-operator");

        Assert.Empty(manifests.OfKind("ClusterRole"));
        Assert.Empty(manifests.OfKind("ClusterRoleBinding"));
        Assert.Equal("apps", role.Namespace);
        Assert.Equal("apps", binding.Namespace);
        Assert.Equal("Role", binding.Root.Str("roleRef", "kind"));
        Assert.Equal(Helm.Namespace, binding.Root.Items("subjects").Single().Str("namespace"));
        Assert.Equal(OperatorGrants.OrderBy(g => g.Key, StringComparer.Ordinal), Grants(role).OrderBy(g => g.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void Template_RbacAndServiceAccountOff_RendersNeither()
    {
        Manifests manifests = Helm.Template("rbac.create=false", "operator.serviceAccount.create=false", "operator.serviceAccount.name=existing").Manifests();

        Assert.DoesNotContain(manifests.All, m => m.Kind is "Role" or "ClusterRole" or "RoleBinding" or "ClusterRoleBinding" or "ServiceAccount");
        Assert.Equal("existing", manifests.Get("Deployment", "kvcache-operator").PodSpec.Str("serviceAccountName"));
    }

    /// <summary>A role's rules as "group/resource" → comma-joined verbs (rules naming resourceNames excluded).</summary>
    private static Dictionary<string, string> Grants(Manifest role)
    {
        var grants = new Dictionary<string, string>();
        foreach (var rule in role.Root.Items("rules"))
        {
            Assert.Empty(rule.Items("resourceNames"));
            foreach (string group in rule.Strings("apiGroups"))
            {
                foreach (string resource in rule.Strings("resources"))
                {
                    Assert.True(grants.TryAdd($"{group}/{resource}", string.Join(',', rule.Strings("verbs"))), $"{group}/{resource} is granted twice");
                }
            }
        }

        return grants;
    }
}
