using System.Text;
using System.Text.Json.Nodes;
using KubeCache.FakeApiServer.Apply;
using KubeCache.FakeApiServer.Errors;
using KubeCache.FakeApiServer.Json;
using KubeCache.FakeApiServer.Patch;
using KubeCache.FakeApiServer.Resources;
using KubeCache.FakeApiServer.Writes;

namespace KubeCache.FakeApiServer.Http;

internal sealed partial class ResourceHandlers
{
    private const string ApplyType = "application/apply-patch+yaml";
    private const string MergeType = "application/merge-patch+json";
    private const string JsonPatchType = "application/json-patch+json";
    private const string StrategicType = "application/strategic-merge-patch+json";

    private async Task PatchAsync(ApiRequest r)
    {
        var contentType = (r.Context.Request.ContentType ?? "").Split(';')[0].Trim();
        if (contentType == StrategicType && r.Type.IsCustom || contentType is not (ApplyType or MergeType or JsonPatchType or StrategicType))
        {
            throw ApiErrors.UnsupportedPatch();
        }
        var body = await Responses.ReadBodyAsync(r.Context).ConfigureAwait(false);
        if (contentType == ApplyType)
        {
            await ApplyAsync(r, YamlReader.ParseObject(Encoding.UTF8.GetString(body))).ConfigureAwait(false);
            return;
        }
        var patch = ParsePatch(body);
        JsonObject updated;
        lock (Store.Sync)
        {
            var current = Store.Get(r.Type.StorageKey, r.StorageNamespace, r.Name!) ?? throw ApiErrors.NotFound(r.Type, r.Name!);
            var patched = PatchObject(current, patch, contentType);
            CheckResourceVersion(r.Type, current, patched.Str("metadata", "resourceVersion") is var rv && rv != current.ResourceVersion() ? rv : null, required: false);
            updated = writer.Update(r.Type, current, patched, new WriteContext(Manager(r), r.Subresource) { Strict = IsStrict(r), User = r.User });
        }
        await Responses.WriteAsync(r.Context, 200, Present(r.Type, updated)).ConfigureAwait(false);
    }

    private static JsonNode? ParsePatch(byte[] body)
    {
        try
        {
            return JsonNode.Parse(body);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw ApiErrors.BadRequest($"error decoding patch: {e.Message}");
        }
    }

    private static JsonObject PatchObject(JsonObject current, JsonNode? patch, string contentType) => contentType switch
    {
        JsonPatchType => JsonPatch.Apply(current, patch),
        MergeType => MergePatch.Apply(current, patch) as JsonObject ?? throw ApiErrors.BadRequest("a merge patch must be a JSON object"),
        _ => StrategicMergePatch.Apply(current, patch) as JsonObject ?? throw ApiErrors.BadRequest("a strategic merge patch must be a JSON object"),
    };

    private async Task ApplyAsync(ApiRequest r, JsonObject config)
    {
        if (r.QueryValue("fieldManager") is not { Length: > 0 } manager)
        {
            throw ApiErrors.Invalid(PatchOptionsType, "", [FieldError.Required("fieldManager", "is required for apply patch")]);
        }
        if (config.Str("apiVersion") is null || config.Str("kind") is null)
        {
            throw ApiErrors.BadRequest("error decoding YAML: Object 'Kind' is missing in apply configuration");
        }
        CheckKind(r, config);
        if (config.Str("metadata", "name") is { } name && name != r.Name)
        {
            throw ApiErrors.BadRequest($"the name of the object ({name}) does not match the name on the URL ({r.Name})");
        }
        if (config["metadata"]?["managedFields"] is not null)
        {
            throw ApiErrors.BadRequest("metadata.managedFields must be nil");
        }
        var scoped = ScopeApplyConfig(r, config);
        var sentVersion = scoped.Str("metadata", "resourceVersion");
        scoped.Meta().Remove("resourceVersion");
        var request = new ApplyRequest(manager, r.Flag("force"), r.Subresource, r.Type.GroupVersion, writer.Now());
        var ctx = new WriteContext(manager, r.Subresource) { IsApply = true, Strict = IsStrict(r), User = r.User };
        JsonObject result;
        var status = 200;
        lock (Store.Sync)
        {
            var current = Store.Get(r.Type.StorageKey, r.StorageNamespace, r.Name!);
            if (current is null)
            {
                if (r.Subresource.Length > 0 || sentVersion is { Length: > 0 })
                {
                    throw ApiErrors.NotFound(r.Type, r.Name!);
                }
                // An apply that creates is a create too, and needs that verb as well (as in the apiserver).
                access.Require(r.User, new Auth.RequestAttributes("create", r.Type.Group, r.Type.Plural, "", r.StorageNamespace, r.Name!));
                var live = new JsonObject { ["apiVersion"] = r.Type.GroupVersion, ["kind"] = r.Type.Kind, ["metadata"] = new JsonObject { ["name"] = r.Name } };
                result = writer.Create(r.Type, r.StorageNamespace, ServerSideApply.Apply(live, scoped, Shape.Root(r.Type), request), ctx);
                status = 201;
            }
            else
            {
                CheckResourceVersion(r.Type, current, sentVersion, required: false);
                result = writer.Update(r.Type, current, ServerSideApply.Apply(current, scoped, Shape.Root(r.Type), request), ctx);
            }
        }
        await Responses.WriteAsync(r.Context, status, Present(r.Type, result)).ConfigureAwait(false);
    }

    /// <summary>
    /// Main-resource applies cannot set status when /status exists; /status applies set only
    /// status. Identity and server-owned metadata never take part in the merge.
    /// </summary>
    private static JsonObject ScopeApplyConfig(ApiRequest r, JsonObject config)
    {
        var scoped = (JsonObject)config.DeepClone();
        if (r.Subresource == "status")
        {
            foreach (var key in scoped.Select(kv => kv.Key).Where(k => k is not ("apiVersion" or "kind" or "metadata" or "status")).ToList())
            {
                scoped.Remove(key);
            }
            var meta = scoped.Meta();
            foreach (var key in meta.Select(kv => kv.Key).Where(k => k is not ("name" or "namespace" or "resourceVersion")).ToList())
            {
                meta.Remove(key);
            }
        }
        else if (r.Type.HasStatus)
        {
            scoped.Remove("status");
        }
        var m = scoped.Meta();
        foreach (var key in new[] { "uid", "creationTimestamp", "generation", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink" })
        {
            m.Remove(key);
        }
        if (r.Type.Namespaced)
        {
            m["namespace"] = r.Namespace;
        }
        return scoped;
    }

    private static readonly ResourceType PatchOptionsType = new()
    {
        Group = "meta.k8s.io",
        Version = "v1",
        Plural = "patchoptions",
        Singular = "patchoptions",
        Kind = "PatchOptions",
        Namespaced = false,
    };
}
