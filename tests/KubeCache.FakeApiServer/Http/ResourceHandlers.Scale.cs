using System.Text.Json.Nodes;
using KubeCache.FakeApiServer.Errors;
using KubeCache.FakeApiServer.Json;
using KubeCache.FakeApiServer.Resources;
using KubeCache.FakeApiServer.Selectors;
using KubeCache.FakeApiServer.Writes;
using Microsoft.AspNetCore.Http;

namespace KubeCache.FakeApiServer.Http;

internal sealed partial class ResourceHandlers
{
    /// <summary>
    /// The /scale subresource: an autoscaling/v1 Scale read from and written to the paths the
    /// resource declares (spec.replicas, status.replicas, the selector).
    /// </summary>
    private async Task ScaleAsync(ApiRequest r)
    {
        var m = r.Method;
        if (HttpMethods.IsGet(m))
        {
            var current = Store.Get(r.Type.StorageKey, r.StorageNamespace, r.Name!) ?? throw ApiErrors.NotFound(r.Type, r.Name!);
            await Responses.WriteAsync(r.Context, 200, ToScale(r.Type, current)).ConfigureAwait(false);
            return;
        }
        if (!HttpMethods.IsPut(m) && !HttpMethods.IsPatch(m))
        {
            throw ApiErrors.MethodNotAllowed();
        }
        var contentType = (r.Context.Request.ContentType ?? "application/json").Split(';')[0].Trim();
        if (HttpMethods.IsPatch(m) && contentType is not (MergeType or JsonPatchType or StrategicType))
        {
            throw ApiErrors.UnsupportedPatch();
        }
        var body = await Responses.ReadBodyAsync(r.Context).ConfigureAwait(false);
        JsonObject updated;
        lock (Store.Sync)
        {
            var current = Store.Get(r.Type.StorageKey, r.StorageNamespace, r.Name!) ?? throw ApiErrors.NotFound(r.Type, r.Name!);
            var scale = ToScale(r.Type, current);
            var wanted = HttpMethods.IsPut(m) ? JsonExtensions.ParseObject(body) : PatchObject(scale, ParsePatch(body), contentType);
            if (wanted.Str("metadata", "resourceVersion") is { Length: > 0 } rv && rv != current.ResourceVersion())
            {
                throw ApiErrors.Conflict(r.Type, r.Name!);
            }
            if (wanted["spec"]?["replicas"].AsLong() is not { } replicas || replicas < 0)
            {
                throw ApiErrors.Invalid(ScaleType, r.Name!, [FieldError.Invalid("spec.replicas", wanted["spec"]?["replicas"]?.ToJsonString() ?? "null", "must be greater than or equal to 0")]);
            }
            var next = (JsonObject)current.DeepClone();
            next.SetDotPath(r.Type.Scale!.SpecReplicasPath, replicas);
            updated = writer.Update(r.Type, current, next, new WriteContext(Manager(r), "scale") { User = r.User });
        }
        await Responses.WriteAsync(r.Context, 200, ToScale(r.Type, updated)).ConfigureAwait(false);
    }

    private static JsonObject ToScale(ResourceType type, JsonObject obj)
    {
        var scale = type.Scale!;
        var specReplicas = obj.AtDotPath(scale.SpecReplicasPath).AsLong()
            ?? (type.IsCustom ? throw ApiErrors.InternalError($"the spec replicas field \"{scale.SpecReplicasPath}\" does not exist") : 1);
        var status = new JsonObject { ["replicas"] = obj.AtDotPath(scale.StatusReplicasPath).AsLong() ?? 0 };
        var selector = scale.SelectorFromSpec
            ? LabelSelector.Serialize(obj["spec"]?["selector"] as JsonObject)
            : scale.LabelSelectorPath is { } path ? obj.AtDotPath(path)?.GetValue<string>() : null;
        if (!string.IsNullOrEmpty(selector))
        {
            status["selector"] = selector;
        }
        var meta = new JsonObject { ["name"] = obj.Name() };
        if (obj.Namespace().Length > 0)
        {
            meta["namespace"] = obj.Namespace();
        }
        meta["uid"] = obj.Uid();
        meta["resourceVersion"] = obj.ResourceVersion();
        meta["creationTimestamp"] = obj["metadata"]?["creationTimestamp"]?.DeepClone();
        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = meta,
            ["spec"] = new JsonObject { ["replicas"] = specReplicas },
            ["status"] = status,
        };
    }

    private static readonly ResourceType ScaleType = new()
    {
        Group = "autoscaling",
        Version = "v1",
        Plural = "scales",
        Singular = "scale",
        Kind = "Scale",
        Namespaced = true,
    };
}
