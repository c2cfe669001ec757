using System.Text.Json.Nodes;
using KubeCache.Operator.Builders;
using KubeCache.Operator.Crd;
using KubeCache.Operator.Resources;
using KubeCache.Operator.Tests.Support;

namespace KubeCache.Operator.Tests.Crd;

public class CrdGeneratorTests
{
    private static readonly JsonNode Crd = YamlJson.Parse(CrdGenerator.GenerateYaml(typeof(KvCluster)))!;

    private static JsonNode Version => Crd["spec"]!["versions"]![0]!;

    private static JsonNode Spec => Version["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!;

    [Fact]
    public void GenerateYaml_Parsed_EqualsJsonTree()
    {
        Assert.True(JsonNode.DeepEquals(CrdGenerator.Generate(typeof(KvCluster)), Crd), "the YAML must mean what the JSON tree says");
    }

    [Fact]
    public void Generate_KvCluster_NamesAndScope()
    {
        Assert.Equal("apiextensions.k8s.io/v1", (string?)Crd["apiVersion"]);
        Assert.Equal("CustomResourceDefinition", (string?)Crd["kind"]);
        Assert.Equal("kvclusters.kubecache.io", (string?)Crd["metadata"]!["name"]);
        Assert.Equal("kubecache.io", (string?)Crd["spec"]!["group"]);
        Assert.Equal("Namespaced", (string?)Crd["spec"]!["scope"]);
        JsonNode names = Crd["spec"]!["names"]!;
        Assert.Equal(("kvclusters", "kvcluster", "KvCluster", "KvClusterList"),
            ((string)names["plural"]!, (string)names["singular"]!, (string)names["kind"]!, (string)names["listKind"]!));
        Assert.Equal(["kvc"], names["shortNames"]!.AsArray().Select(n => (string)n!));
    }

    [Fact]
    public void Generate_KvCluster_OneServedStorageVersionWithSubresources()
    {
        Assert.Single(Crd["spec"]!["versions"]!.AsArray());
        Assert.Equal("v1alpha1", (string?)Version["name"]);
        Assert.True((bool?)Version["served"]);
        Assert.True((bool?)Version["storage"]);
        Assert.Empty(Version["subresources"]!["status"]!.AsObject());
        JsonNode scale = Version["subresources"]!["scale"]!;
        Assert.Equal(".spec.replicas", (string?)scale["specReplicasPath"]);
        Assert.Equal(".status.replicas", (string?)scale["statusReplicasPath"]);
        Assert.Equal(".status.selector", (string?)scale["labelSelectorPath"]);
    }

    [Fact]
    public void Generate_KvCluster_PrinterColumnsInOrder()
    {
        var columns = Version["additionalPrinterColumns"]!.AsArray()
            .Select(c => ((string)c!["name"]!, (string)c["type"]!, (string)c["jsonPath"]!)).ToList();

        Assert.Equal(
            [
                ("Replicas", "integer", ".spec.replicas"),
                ("Ready", "integer", ".status.readyReplicas"),
                ("Epoch", "integer", ".status.ringEpoch"),
                ("Phase", "string", ".status.phase"),
                ("Age", "date", ".metadata.creationTimestamp"),
            ],
            columns);
    }

    [Fact]
    public void Generate_Schema_IsStructural()
    {
        AssertStructural(Version["schema"]!["openAPIV3Schema"]!.AsObject(), "openAPIV3Schema");
    }

    private static readonly string[] KubernetesTypedFields = ["affinity", "tolerations", "topologySpreadConstraints"];

    private static void AssertStructural(JsonObject node, string path)
    {
        bool typed = node["type"] is not null;
        bool intOrString = node["x-kubernetes-int-or-string"] is not null;
        Assert.True(typed ^ intOrString, $"{path} needs a type (or is int-or-string)");
        // Fields of embedded core/v1 types are documented by Kubernetes itself (kubectl explain pod.spec.affinity).
        bool kubernetesType = KubernetesTypedFields.Any(f => path.Contains($".spec.{f}.", StringComparison.Ordinal));
        Assert.True(path.Contains("metadata", StringComparison.Ordinal) || node["description"] is not null || path.EndsWith(".items", StringComparison.Ordinal)
            || path.EndsWith(".additionalProperties", StringComparison.Ordinal) || path.Contains("resources", StringComparison.Ordinal) || kubernetesType,
            $"{path} has no description");
        foreach ((string name, JsonNode? child) in node["properties"]?.AsObject() ?? [])
        {
            AssertStructural(child!.AsObject(), $"{path}.{name}");
        }

        if (node["items"] is JsonObject items)
        {
            AssertStructural(items, path + ".items");
        }

        if (node["additionalProperties"] is JsonObject additional)
        {
            AssertStructural(additional, path + ".additionalProperties");
        }
    }

    [Fact]
    public void Generate_Spec_DefaultsMatchKvClusterDefaults()
    {
        JsonNode p = Spec["properties"]!;
        Assert.Equal(KvClusterDefaults.Replicas, (int?)p["replicas"]!["default"]);
        Assert.Equal(KvClusterDefaults.MaxKeyBytes, (int?)p["maxKeyBytes"]!["default"]);
        Assert.Equal(KvClusterDefaults.MaxValueBytes, (int?)p["maxValueBytes"]!["default"]);
        Assert.Equal(KvClusterDefaults.DefaultTtl, (long?)p["defaultTtl"]!["default"]);
        Assert.Equal(KvClusterDefaults.MissStatus, (int?)p["missStatus"]!["default"]);
        Assert.Equal(KvClusterDefaults.TerminationGracePeriodSeconds, (long?)p["terminationGracePeriodSeconds"]!["default"]);
        Assert.Equal(KvClusterDefaults.RouterReplicas, (int?)p["router"]!["properties"]!["replicas"]!["default"]);
        Assert.Equal(KvClusterDefaults.RouterServiceType, (string?)p["router"]!["properties"]!["serviceType"]!["default"]);
        Assert.Equal(KvClusterDefaults.PodDisruptionBudgetEnabled, (bool?)p["podDisruptionBudget"]!["properties"]!["enabled"]!["default"]);
        Assert.Equal(KvClusterDefaults.PodDisruptionBudgetMaxUnavailable, (int?)p["podDisruptionBudget"]!["properties"]!["maxUnavailable"]!["default"]);
        foreach (string kind in new[] { "serviceMonitor", "podMonitor" })
        {
            JsonNode monitor = p["monitoring"]!["properties"]![kind]!["properties"]!;
            Assert.Equal(KvClusterDefaults.MonitorEnabled, (bool?)monitor["enabled"]!["default"]);
            Assert.Equal(KvClusterDefaults.MonitorInterval, (string?)monitor["interval"]!["default"]);
        }
        Assert.Equal(KvClusterDefaults.AuthSecretKey, (string?)p["auth"]!["properties"]!["secretRef"]!["properties"]!["key"]!["default"]);
        // Nested defaults only apply inside objects that exist, so the objects default to {}.
        foreach (string parent in new[] { "router", "podDisruptionBudget", "monitoring" })
        {
            Assert.Empty(p[parent]!["default"]!.AsObject());
        }

        // Images default to the operator's flags, which a CRD default would always override.
        Assert.Null(p["image"]!["default"]);
        Assert.Null(p["router"]!["properties"]!["image"]!["default"]);
    }

    /// <summary>Regression: names that no Service or StatefulSet pod can carry were admitted, and the reconcile stuck on a 422.</summary>
    [Fact]
    public void Generate_Root_RefusesNamesTheClustersObjectsCannotCarry()
    {
        JsonObject root = CrdGenerator.Generate(typeof(KvCluster))["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!.AsObject();

        JsonNode rule = Assert.Single(root["x-kubernetes-validations"]!.AsArray())!;
        Assert.Equal($"self.metadata.name.size() <= {ObjectNames.MaxClusterNameLength} && self.metadata.name.matches('{ObjectNames.ClusterNamePattern}')", (string?)rule["rule"]);
        Assert.Equal(ObjectNames.ClusterNameMessage, (string?)rule["message"]);
    }

    [Fact]
    public void Generate_Spec_ValidationRules()
    {
        JsonNode p = Spec["properties"]!;
        Assert.Equal(1, (int?)p["replicas"]!["minimum"]);
        Assert.Equal([404, 200], p["missStatus"]!["enum"]!.AsArray().Select(v => (int)v!));
        Assert.Equal(["ClusterIP", "NodePort", "LoadBalancer"], p["router"]!["properties"]!["serviceType"]!["enum"]!.AsArray().Select(v => (string)v!));
        Assert.Equal(KvClusterSpec.MaxMemoryPattern, (string?)p["maxMemory"]!["pattern"]);
        JsonNode rule = Assert.Single(Spec["x-kubernetes-validations"]!.AsArray())!;
        Assert.Contains("self.maxKeyBytes <= self.maxValueBytes", (string?)rule["rule"], StringComparison.Ordinal);
        Assert.Contains("maxKeyBytes must not exceed maxValueBytes", (string?)rule["message"], StringComparison.Ordinal);
    }

    /// <summary>Regression: affinity, tolerations and spread constraints preserved unknown fields, so a typo passed kubectl apply and then failed the StatefulSet.</summary>
    [Fact]
    public void Generate_PodSchedulingFields_TypedFromTheKubernetesModels()
    {
        JsonNode p = Spec["properties"]!;
        JsonNode term = p["affinity"]!["properties"]!["podAntiAffinity"]!["properties"]!["preferredDuringSchedulingIgnoredDuringExecution"]!["items"]!;
        JsonNode spread = p["topologySpreadConstraints"]!["items"]!;

        Assert.Null(p["affinity"]!["x-kubernetes-preserve-unknown-fields"]);
        Assert.Equal("integer", (string?)term["properties"]!["weight"]!["type"]);
        Assert.Equal("string", (string?)term["properties"]!["podAffinityTerm"]!["properties"]!["topologyKey"]!["type"]);
        Assert.Equal("integer", (string?)p["tolerations"]!["items"]!["properties"]!["tolerationSeconds"]!["type"]);
        Assert.Contains("topologyKey", spread["required"]!.AsArray().Select(r => (string?)r));
        Assert.Contains("maxSkew", spread["required"]!.AsArray().Select(r => (string?)r));
        Assert.Equal("string", (string?)p["nodeSelector"]!["additionalProperties"]!["type"]);
    }

    [Fact]
    public void Generate_Status_ConditionsAreMapListByType()
    {
        JsonNode conditions = Version["schema"]!["openAPIV3Schema"]!["properties"]!["status"]!["properties"]!["conditions"]!;

        Assert.Equal("map", (string?)conditions["x-kubernetes-list-type"]);
        Assert.Equal(["type"], conditions["x-kubernetes-list-map-keys"]!.AsArray().Select(k => (string)k!));
        Assert.Equal(["type", "status", "lastTransitionTime", "reason", "message"], conditions["items"]!["required"]!.AsArray().Select(k => (string)k!));
        Assert.Equal("date-time", (string?)conditions["items"]!["properties"]!["lastTransitionTime"]!["format"]);
    }

    [Theory]
    [InlineData("404")]
    [InlineData("True")]
    [InlineData("30s")]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("a: b")]
    [InlineData("-1.5")]
    public void YamlWriter_AmbiguousString_StaysString(string text)
    {
        string yaml = YamlWriter.Write(new JsonObject { ["value"] = text, ["number"] = 404, ["flag"] = true });

        JsonNode parsed = YamlJson.Parse(yaml)!;
        Assert.Equal(text, (string?)parsed["value"]);
        Assert.Equal(404, (int?)parsed["number"]);
        Assert.True((bool?)parsed["flag"]);
    }
}
