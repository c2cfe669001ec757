using System.Globalization;
using System.Text.Json.Nodes;
using KubeCache.FakeApiServer.Errors;
using KubeCache.FakeApiServer.Json;
using KubeCache.FakeApiServer.Resources;
using KubeCache.FakeApiServer.Selectors;
using KubeCache.FakeApiServer.Table;
using KubeCache.FakeApiServer.Writes;

namespace KubeCache.FakeApiServer.Http;

internal sealed partial class ResourceHandlers
{
    private Task ListAsync(ApiRequest r)
    {
        long revision;
        List<JsonObject> items;
        if (r.QueryValue("continue") is { Length: > 0 } token)
        {
            (revision, items) = tokens.Take(token);
        }
        else
        {
            var labels = LabelSelector.Parse(r.QueryValue("labelSelector"));
            var fields = FieldSelector.Parse(r.QueryValue("fieldSelector"), r.Type.IsCustom);
            lock (Store.Sync)
            {
                revision = Store.Revision;
                items = [.. Store.List(r.Type.StorageKey, r.Type.Namespaced ? r.Namespace : null)
                    .Where(o => labels.Matches(o.Labels()) && fields.Matches(o))
                    .Select(o => Present(r.Type, o))];
            }
        }
        var meta = new JsonObject { ["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture) };
        if (int.TryParse(r.QueryValue("limit"), NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit > 0 && items.Count > limit)
        {
            meta["continue"] = tokens.Save(revision, items[limit..]);
            meta["remainingItemCount"] = items.Count - limit;
            items = items[..limit];
        }
        if (WantsTable(r))
        {
            var table = tables.Convert(r.Type, items, meta.Str("resourceVersion")!, IncludeObject(r));
            table["metadata"] = meta;
            return Responses.WriteAsync(r.Context, 200, table, TableConverter.ContentType);
        }
        var list = new JsonObject
        {
            ["kind"] = r.Type.ListKind,
            ["apiVersion"] = r.Type.GroupVersion,
            ["metadata"] = meta,
            ["items"] = new JsonArray([.. items.Select(o => ListItem(r.Type, o))]),
        };
        return Responses.WriteAsync(r.Context, 200, list);
    }

    /// <summary>Typed lists of built-in kinds omit each item's kind and apiVersion; custom resource lists keep them.</summary>
    private static JsonObject ListItem(ResourceType type, JsonObject obj)
    {
        if (!type.IsCustom)
        {
            obj.Remove("kind");
            obj.Remove("apiVersion");
        }
        return obj;
    }

    private async Task CreateAsync(ApiRequest r)
    {
        var obj = await ReadObjectAsync(r).ConfigureAwait(false);
        CheckKind(r, obj);
        var created = writer.Create(r.Type, r.StorageNamespace, obj, new WriteContext(Manager(r)) { Strict = IsStrict(r), User = r.User });
        await Responses.WriteAsync(r.Context, 201, Present(r.Type, created)).ConfigureAwait(false);
    }

    private async Task ReplaceAsync(ApiRequest r)
    {
        var obj = await ReadObjectAsync(r).ConfigureAwait(false);
        CheckKind(r, obj);
        if (obj.Str("metadata", "name") is { } bodyName && bodyName != r.Name)
        {
            throw ApiErrors.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({r.Name})");
        }
        JsonObject updated;
        lock (Store.Sync)
        {
            var current = Store.Get(r.Type.StorageKey, r.StorageNamespace, r.Name!) ?? throw ApiErrors.NotFound(r.Type, r.Name!);
            CheckResourceVersion(r.Type, current, obj.Str("metadata", "resourceVersion"), required: r.Type.IsCustom);
            updated = writer.Update(r.Type, current, obj, new WriteContext(Manager(r), r.Subresource) { Strict = IsStrict(r), User = r.User });
        }
        await Responses.WriteAsync(r.Context, 200, Present(r.Type, updated)).ConfigureAwait(false);
    }

    /// <summary>Optimistic concurrency: a stale resourceVersion is 409; custom resources must send one (422).</summary>
    private static void CheckResourceVersion(ResourceType type, JsonObject current, string? sent, bool required)
    {
        if (string.IsNullOrEmpty(sent))
        {
            if (required)
            {
                throw ApiErrors.Invalid(type, current.Name(), [FieldError.Invalid("metadata.resourceVersion", "0x0", "must be specified for an update")]);
            }
            return;
        }
        if (sent != current.ResourceVersion())
        {
            throw ApiErrors.Conflict(type, current.Name());
        }
    }
}
