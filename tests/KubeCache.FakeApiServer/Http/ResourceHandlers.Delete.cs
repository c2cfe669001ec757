using System.Text.Json.Nodes;
using KubeCache.FakeApiServer.Errors;
using KubeCache.FakeApiServer.Json;
using KubeCache.FakeApiServer.Resources;
using KubeCache.FakeApiServer.Selectors;
using KubeCache.FakeApiServer.Writes;

namespace KubeCache.FakeApiServer.Http;

internal sealed partial class ResourceHandlers
{
    private async Task DeleteAsync(ApiRequest r)
    {
        var options = await ReadDeleteOptionsAsync(r).ConfigureAwait(false);
        JsonObject result;
        bool gone;
        lock (Store.Sync)
        {
            var current = Store.Get(r.Type.StorageKey, r.StorageNamespace, r.Name!) ?? throw ApiErrors.NotFound(r.Type, r.Name!);
            result = writer.Delete(r.Type, current, options);
            gone = Store.Get(r.Type.StorageKey, r.StorageNamespace, r.Name!) is null;
        }
        // Built-in registries answer a finished delete with a Success Status; custom resources with the object.
        JsonNode body = gone && !r.Type.IsCustom ? SuccessStatus(r.Type, result) : Present(r.Type, result);
        await Responses.WriteAsync(r.Context, gone ? 200 : 202, body).ConfigureAwait(false);
    }

    private async Task DeleteCollectionAsync(ApiRequest r)
    {
        var options = await ReadDeleteOptionsAsync(r).ConfigureAwait(false);
        var labels = LabelSelector.Parse(r.QueryValue("labelSelector"));
        var fields = FieldSelector.Parse(r.QueryValue("fieldSelector"), r.Type.IsCustom);
        var deleted = new JsonArray();
        lock (Store.Sync)
        {
            foreach (var o in Store.List(r.Type.StorageKey, r.Type.Namespaced ? r.Namespace : null).Where(o => labels.Matches(o.Labels()) && fields.Matches(o)))
            {
                deleted.Add(Present(r.Type, writer.Delete(r.Type, o, options)));
            }
        }
        var list = new JsonObject
        {
            ["kind"] = r.Type.ListKind,
            ["apiVersion"] = r.Type.GroupVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = Store.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            ["items"] = deleted,
        };
        await Responses.WriteAsync(r.Context, 200, list).ConfigureAwait(false);
    }

    private static async Task<DeleteRequest> ReadDeleteOptionsAsync(ApiRequest r)
    {
        var body = await Responses.ReadBodyAsync(r.Context).ConfigureAwait(false);
        var options = body.Length == 0 ? [] : JsonExtensions.ParseObject(body);
        var propagation = options.Str("propagationPolicy") ?? r.QueryValue("propagationPolicy");
        if (propagation is not (null or "Foreground" or "Background" or "Orphan"))
        {
            throw ApiErrors.BadRequest($"propagationPolicy: Unsupported value: \"{propagation}\": supported values: \"Foreground\", \"Background\", \"Orphan\"");
        }
        if (propagation is null && (options["orphanDependents"]?.GetValueKind() == System.Text.Json.JsonValueKind.True || r.Flag("orphanDependents")))
        {
            propagation = "Orphan";
        }
        return new DeleteRequest(propagation, options.Str("preconditions", "uid"), options.Str("preconditions", "resourceVersion"));
    }

    private static JsonObject SuccessStatus(ResourceType type, JsonObject deleted)
    {
        var details = new JsonObject { ["name"] = deleted.Name() };
        if (type.Group.Length > 0)
        {
            details["group"] = type.Group;
        }
        details["kind"] = type.Plural;
        details["uid"] = deleted.Uid();
        return new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
            ["details"] = details,
        };
    }
}
