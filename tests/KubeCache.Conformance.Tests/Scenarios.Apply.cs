using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using KubeCache.Kubernetes;

namespace KubeCache.Conformance.Tests;

public abstract partial class Scenarios
{
    [SkippableFact]
    public async Task Apply_TwoManagersApplyServicePorts_MergesByPortAndProtocol()
    {
        string ns = await NamespaceAsync();

        await Admin.ApplyAsync(Services, Service(ns, new V1ServicePort { Name = "http", Port = 80, Protocol = "TCP" }), "a");
        V1Service merged = await Admin.ApplyAsync(Services, Service(ns, new V1ServicePort { Name = "redis", Port = 6379, Protocol = "TCP" }), "b");

        Assert.Equal(["http", "redis"], merged.Spec.Ports.Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Contains(merged.Metadata.ManagedFields, f => f.Manager == "a" && f.Operation == "Apply");
        Assert.Contains(merged.Metadata.ManagedFields, f => f.Manager == "b" && f.Operation == "Apply");
    }

    [SkippableFact]
    public async Task Apply_FieldOfAnotherManagerWithoutForce_Is409ConflictNamingFieldAndManager()
    {
        string ns = await NamespaceAsync();
        await Admin.ApplyAsync(Services, Service(ns, new V1ServicePort { Name = "http", Port = 80, Protocol = "TCP" }), "a");

        var patch = new V1Patch(Service(ns, new V1ServicePort { Name = "web", Port = 80, Protocol = "TCP" }), V1Patch.PatchType.ApplyPatch);
        (HttpStatusCode code, V1Status status) = await RefusedAsync(() => Admin.CoreV1.PatchNamespacedServiceAsync(patch, "web", ns, fieldManager: "b", force: false));

        Assert.Equal(HttpStatusCode.Conflict, code);
        Assert.Equal("Conflict", status.Reason);
        Assert.Equal("Apply failed with 1 conflict: conflict with \"a\": .spec.ports[port=80,protocol=\"TCP\"].name", status.Message);
        Assert.Contains(status.Details.Causes, c => c.Reason == "FieldManagerConflict" && c.Field == ".spec.ports[port=80,protocol=\"TCP\"].name");
    }

    [SkippableFact]
    public async Task ApplyStatus_CustomResource_SetsStatusOnlyAndObjectApplyIgnoresStatus()
    {
        string ns = await NamespaceAsync();
        JsonObject created = await ApplyCustomAsync(KvCluster(ns, "demo", 1));

        JsonObject status = KvCluster(ns, "demo", 1);
        status.Remove("spec");
        status["status"] = new JsonObject { ["phase"] = "Ready", ["replicas"] = 1 };
        JsonObject withStatus = await ApplyCustomAsync(status, status: true, manager: "status-writer");

        Assert.Equal("Ready", (string?)withStatus["status"]!["phase"]);
        Assert.Equal(1, (int?)withStatus["spec"]!["replicas"]);
        Assert.Equal((long?)created["metadata"]!["generation"], (long?)withStatus["metadata"]!["generation"]);
        Assert.Contains(withStatus["metadata"]!["managedFields"]!.AsArray(),
            f => (string?)f!["manager"] == "status-writer" && (string?)f["subresource"] == "status");

        JsonObject both = KvCluster(ns, "demo", 2);
        both["status"] = new JsonObject { ["phase"] = "Degraded" };
        JsonObject applied = await ApplyCustomAsync(both);

        Assert.Equal("Ready", (string?)applied["status"]!["phase"]);
        Assert.Equal(2, (int?)applied["spec"]!["replicas"]);
        Assert.Equal((long?)created["metadata"]!["generation"] + 1, (long?)applied["metadata"]!["generation"]);
    }

    [SkippableFact]
    public async Task Scale_CustomResource_ReadsAndWritesSpecReplicas()
    {
        string ns = await NamespaceAsync();
        await ApplyCustomAsync(KvCluster(ns, "demo", 1));

        V1Scale scale = KubernetesJson.Deserialize<V1Scale>(((System.Text.Json.JsonElement)await Admin.CustomObjects.GetNamespacedCustomObjectScaleAsync(
            KvClusters.Group, KvClusters.Version, ns, KvClusters.Plural, "demo")).GetRawText());
        Assert.Equal(("autoscaling/v1", "Scale", 1), (scale.ApiVersion, scale.Kind, scale.Spec.Replicas));

        var patch = new V1Patch("""{"spec":{"replicas":3}}""", V1Patch.PatchType.MergePatch);
        await Admin.CustomObjects.PatchNamespacedCustomObjectScaleAsync(patch, KvClusters.Group, KvClusters.Version, ns, KvClusters.Plural, "demo");

        JsonObject scaled = ToJson(await Admin.CustomObjects.GetNamespacedCustomObjectAsync(KvClusters.Group, KvClusters.Version, ns, KvClusters.Plural, "demo"));
        Assert.Equal(3, (int?)scaled["spec"]!["replicas"]);
        Assert.Equal(2, (long?)scaled["metadata"]!["generation"]);
    }

    private static readonly ApiResource Services = new("", "v1", "services", "Service");

    private static V1Service Service(string ns, V1ServicePort port) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = ns },
        Spec = new V1ServiceSpec { Ports = [port] },
    };
}
