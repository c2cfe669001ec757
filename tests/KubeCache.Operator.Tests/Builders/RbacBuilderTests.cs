using System.Text.Json.Nodes;
using KubeCache.Operator.Builders;
using static KubeCache.Operator.Tests.Support.TestClusters;

namespace KubeCache.Operator.Tests.Builders;

public class RbacBuilderTests
{
    [Fact]
    public void ServiceAccount_Demo_NamedForCluster()
    {
        JsonObject account = Json(ServiceAccountBuilder.Build(Demo()));

        Assert.Equal("ServiceAccount", (string?)account["kind"]);
        Assert.Equal("demo", (string?)At(account, "metadata.name"));
        Assert.Equal("ns", (string?)At(account, "metadata.namespace"));
    }

    [Fact]
    public void Role_Demo_ReadsOnlyTheRingConfigMap()
    {
        JsonObject role = Json(RoleBuilder.Build(Demo()));

        Assert.Equal("rbac.authorization.k8s.io/v1", (string?)role["apiVersion"]);
        Assert.Equal("Role", (string?)role["kind"]);
        JsonArray rules = role["rules"]!.AsArray();
        JsonNode rule = Assert.Single(rules)!;
        Assert.Equal([""], rule["apiGroups"]!.AsArray().Select(g => (string)g!));
        Assert.Equal(["configmaps"], rule["resources"]!.AsArray().Select(r => (string)r!));
        Assert.Equal(["demo-ring"], rule["resourceNames"]!.AsArray().Select(r => (string)r!));
        Assert.Equal(["list", "watch"], rule["verbs"]!.AsArray().Select(v => (string)v!));
    }

    [Fact]
    public void RoleBinding_Demo_BindsRoleToServiceAccount()
    {
        JsonObject binding = Json(RoleBindingBuilder.Build(Demo()));

        Assert.Equal("RoleBinding", (string?)binding["kind"]);
        Assert.Equal("Role", (string?)At(binding, "roleRef.kind"));
        Assert.Equal("demo", (string?)At(binding, "roleRef.name"));
        Assert.Equal("rbac.authorization.k8s.io", (string?)At(binding, "roleRef.apiGroup"));
        Assert.Equal("ServiceAccount", (string?)At(binding, "subjects[0].kind"));
        Assert.Equal("demo", (string?)At(binding, "subjects[0].name"));
        Assert.Equal("ns", (string?)At(binding, "subjects[0].namespace"));
    }
}
