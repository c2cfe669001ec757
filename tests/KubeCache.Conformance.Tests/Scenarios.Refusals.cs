using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using KubeCache.Kubernetes;
using KubeCache.Testing;

namespace KubeCache.Conformance.Tests;

public abstract partial class Scenarios
{
    [SkippableFact]
    public async Task Rbac_VerbNotGranted_Is403ForbiddenWordedAsTheApiserver()
    {
        string ns = await NamespaceAsync();
        await Admin.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap(ns, "readable"), ns);
        await Admin.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "reader" } }, ns);
        await Admin.RbacAuthorizationV1.CreateNamespacedRoleAsync(new V1Role
        {
            Metadata = new V1ObjectMeta { Name = "reader" },
            Rules = [new V1PolicyRule { ApiGroups = [""], Resources = ["configmaps"], Verbs = ["get"] }],
        }, ns);
        await Admin.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(new V1RoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "reader" },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = "reader" },
            Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = "reader", NamespaceProperty = ns }],
        }, ns);
        using IKubernetes reader = await Target.ServiceAccountClientAsync(ns, "reader");
        // A real apiserver's authorizer sees a new binding through its informers, a moment later.
        await Poll.UntilAsync(async () => await CanGetAsync(reader, ns), "the binding in force", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200));

        (HttpStatusCode code, V1Status status) = await RefusedAsync(() => reader.CoreV1.ListNamespacedConfigMapAsync(ns));

        Assert.Equal(HttpStatusCode.Forbidden, code);
        Assert.Equal("Forbidden", status.Reason);
        Assert.Equal($"configmaps is forbidden: User \"system:serviceaccount:{ns}:reader\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"{ns}\"",
            status.Message);
        Assert.Equal("configmaps", status.Details.Kind);
    }

    [SkippableFact]
    public async Task Create_ServiceNameNotADns1035Label_Is422InvalidNamingTheField()
    {
        string ns = await NamespaceAsync();
        V1Service service = Service(ns, new V1ServicePort { Port = 80, Protocol = "TCP" });
        service.Metadata.Name = "1bad";

        (HttpStatusCode code, V1Status status) = await RefusedAsync(() => Admin.CoreV1.CreateNamespacedServiceAsync(service, ns));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Equal("Invalid", status.Reason);
        Assert.StartsWith("Service \"1bad\" is invalid: metadata.name: Invalid value: \"1bad\": a DNS-1035 label must consist of lower case alphanumeric characters",
            status.Message, StringComparison.Ordinal);
        Assert.Equal(("1bad", "Service"), (status.Details.Name, status.Details.Kind));
        Assert.Contains(status.Details.Causes, c => c.Reason == "FieldValueInvalid" && c.Field == "metadata.name");
    }

    [SkippableFact]
    public async Task Apply_CustomResourceBelowSchemaMinimum_Is422InvalidWithTheSchemaMessage()
    {
        string ns = await NamespaceAsync();

        (HttpStatusCode code, V1Status status) = await RefusedAsync(() => ApplyCustomAsync(KvCluster(ns, "demo", -1)));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Equal("Invalid", status.Reason);
        Assert.Equal("KvCluster.kubecache.io \"demo\" is invalid: spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 1",
            status.Message);
        Assert.Contains(status.Details.Causes, c => c.Field == "spec.replicas");
    }

    [SkippableFact]
    public async Task Apply_BuiltInKindWithAnUndeclaredField_Is500TypedPatchFailureNamingIt()
    {
        string ns = await NamespaceAsync();
        var service = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Service",
            ["metadata"] = new JsonObject { ["name"] = "web", ["namespace"] = ns },
            ["spec"] = new JsonObject { ["ports"] = new JsonArray(new JsonObject { ["port"] = 80, ["protocol"] = "TCP" }), ["unknownField"] = 1 },
        };
        var patch = new V1Patch(service, V1Patch.PatchType.ApplyPatch);

        (HttpStatusCode code, V1Status status) = await RefusedAsync(() => Admin.CoreV1.PatchNamespacedServiceAsync(patch, "web", ns, fieldManager: Manager, force: true));

        // The apiserver's conversion error is no Status of its own: 500, no reason (kubernetes/kubernetes#122480).
        Assert.Equal(HttpStatusCode.InternalServerError, code);
        Assert.Equal($"failed to create typed patch object ({ns}/web; /v1, Kind=Service): .spec.unknownField: field not declared in schema", status.Message);
        Assert.Null(await Admin.TryGetAsync<V1Service>(Services, ns, "web"));
    }

    private static async Task<bool> CanGetAsync(IKubernetes client, string ns)
    {
        try
        {
            await client.CoreV1.ReadNamespacedConfigMapAsync("readable", ns);
            return true;
        }
        catch (k8s.Autorest.HttpOperationException e) when (ApiErrors.StatusCodeOf(e) == HttpStatusCode.Forbidden)
        {
            return false;
        }
    }
}
