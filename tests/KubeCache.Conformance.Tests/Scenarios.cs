using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeCache.Kubernetes;

namespace KubeCache.Conformance.Tests;

/// <summary>
/// The Kubernetes behaviour KubeCache depends on, as scenarios that run unchanged against every
/// <see cref="ApiTarget"/>: the fake API server and a real k3s. Each scenario works in a
/// namespace of its own, through KubernetesClient and our layer over it.
/// </summary>
public abstract partial class Scenarios(ApiTarget target)
{
    internal static readonly ApiResource KvClusters = new("kubecache.io", "v1alpha1", "kvclusters", "KvCluster");

    private const string Manager = "conformance";

    protected ApiTarget Target { get; } = target;

    private IKubernetes Admin => Target.Admin;

    /// <summary>A new namespace for one scenario.</summary>
    private async Task<string> NamespaceAsync()
    {
        Target.SkipUnlessAvailable();
        string name = "conf-" + Guid.NewGuid().ToString("N")[..8];
        await Admin.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        return name;
    }

    private static JsonObject KvCluster(string ns, string name, int replicas) => new()
    {
        ["apiVersion"] = KvClusters.ApiVersion,
        ["kind"] = KvClusters.Kind,
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["spec"] = new JsonObject { ["replicas"] = replicas },
    };

    /// <summary>Server-side apply of a custom resource (or its status) as <paramref name="manager"/>, forced.</summary>
    private async Task<JsonObject> ApplyCustomAsync(JsonObject obj, bool status = false, string manager = Manager)
    {
        string ns = obj["metadata"]!["namespace"]!.GetValue<string>();
        string name = obj["metadata"]!["name"]!.GetValue<string>();
        var patch = new V1Patch(obj, V1Patch.PatchType.ApplyPatch);
        object result = status
            ? await Admin.CustomObjects.PatchNamespacedCustomObjectStatusAsync(patch, KvClusters.Group, KvClusters.Version, ns, KvClusters.Plural, name,
                fieldManager: manager, force: true)
            : await Admin.CustomObjects.PatchNamespacedCustomObjectAsync(patch, KvClusters.Group, KvClusters.Version, ns, KvClusters.Plural, name,
                fieldManager: manager, force: true);
        return ToJson(result);
    }

    private static JsonObject ToJson(object body) => JsonNode.Parse(((JsonElement)body).GetRawText())!.AsObject();

    /// <summary>The Status of a refused call.</summary>
    private static async Task<(HttpStatusCode Code, V1Status Status)> RefusedAsync(Func<Task> call)
    {
        HttpOperationException e = await Assert.ThrowsAsync<HttpOperationException>(call);
        V1Status status = ApiErrors.StatusOf(e) ?? throw new InvalidOperationException($"no Status in the {e.Response.StatusCode} answer: {e.Response.Content}");
        Assert.Equal("Failure", status.Status);
        Assert.Equal((int)e.Response.StatusCode, status.Code);
        return (e.Response.StatusCode, status);
    }
}
