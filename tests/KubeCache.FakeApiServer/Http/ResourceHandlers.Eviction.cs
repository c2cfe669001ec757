using System.Text.Json.Nodes;
using KubeCache.FakeApiServer.Errors;
using KubeCache.FakeApiServer.Json;

namespace KubeCache.FakeApiServer.Http;

internal sealed partial class ResourceHandlers
{
    /// <summary>Eviction groups the apiserver accepts on pods/eviction.</summary>
    private static readonly string[] EvictionVersions = ["policy/v1", "policy/v1beta1"];

    /// <summary>POST pods/{name}/eviction: a policy/v1 Eviction body; 201 with a Success Status once the pod is being deleted.</summary>
    private async Task EvictAsync(ApiRequest r)
    {
        var eviction = await ReadObjectAsync(r).ConfigureAwait(false);
        if (eviction.Str("apiVersion") is { } av && !EvictionVersions.Contains(av))
        {
            throw ApiErrors.BadRequest($"the API version in the data ({av}) does not match the expected API version (policy/v1)");
        }
        if (eviction.Str("kind") is { } kind && kind != "Eviction")
        {
            throw ApiErrors.BadRequest($"the kind in the data ({kind}) does not match the expected kind (Eviction)");
        }
        if (eviction.Str("metadata", "namespace") is { Length: > 0 } ns && ns != r.Namespace)
        {
            throw ApiErrors.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
        evictions.Evict(r.StorageNamespace, r.Name!, eviction);
        var success = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
            ["code"] = 201,
        };
        await Responses.WriteAsync(r.Context, 201, success).ConfigureAwait(false);
    }
}
