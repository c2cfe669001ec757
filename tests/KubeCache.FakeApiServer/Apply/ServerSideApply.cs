using System.Text.Json.Nodes;
using KubeCache.FakeApiServer.Errors;

namespace KubeCache.FakeApiServer.Apply;

/// <summary>
/// Server-side apply: merges an applied configuration into the live object and tracks who
/// owns which field. A field another manager owns with a different value is a conflict (409)
/// unless forced, which takes it over. A field this manager applied before and now omits is
/// removed unless someone else owns it. Keyed lists (schema list-type map) merge per item.
/// </summary>
internal static class ServerSideApply
{
    public static JsonObject Apply(JsonObject live, JsonObject config, Shape shape, ApplyRequest request)
    {
        var entries = ManagedFields.Read(live);
        var applied = FieldSet.Of(config, shape);
        var conflicts = Conflicts(live, config, entries, applied, request);
        if (conflicts.Count > 0 && !request.Force)
        {
            throw ConflictError(conflicts);
        }
        foreach (var (owner, path) in conflicts)
        {
            owner.Fields.Paths.Remove(path);
        }

        var merged = (JsonObject)live.DeepClone();
        MergeObject(merged, config, shape, atRoot: true);

        var mine = entries.FirstOrDefault(e => e.Is(request.Manager, "Apply", request.Subresource));
        foreach (var path in (mine?.Fields.Paths ?? []).Except(applied.Paths).OrderBy(p => p.Length))
        {
            if (!entries.Any(e => e != mine && e.Fields.Contains(path)))
            {
                PathElements.Remove(merged, path);
            }
        }
        if (mine is null)
        {
            mine = new ManagerEntry { Manager = request.Manager, Operation = "Apply", Subresource = request.Subresource, ApiVersion = request.ApiVersion, Fields = applied };
            entries.Add(mine);
        }
        var changedSet = !mine.Fields.Paths.SetEquals(applied.Paths);
        mine.Fields = applied;
        mine.ApiVersion = request.ApiVersion;
        if (changedSet || mine.Time is null || !JsonNode.DeepEquals(StripManaged(merged), StripManaged(live)))
        {
            mine.Time = request.Now;
        }
        ManagedFields.Write(merged, entries);
        return merged;
    }

    private static List<(ManagerEntry Owner, string Path)> Conflicts(JsonObject live, JsonObject config, List<ManagerEntry> entries, FieldSet applied, ApplyRequest request)
    {
        var conflicts = new List<(ManagerEntry, string)>();
        foreach (var e in entries.Where(e => !e.Is(request.Manager, "Apply", request.Subresource)))
        {
            foreach (var path in e.Fields.Paths.Where(p => applied.Contains(p) && PathElements.IsLeafField(p)).Order(StringComparer.Ordinal))
            {
                var (found, current) = PathElements.Get(live, path);
                if (found && !JsonNode.DeepEquals(current, PathElements.Get(config, path).Value))
                {
                    conflicts.Add((e, path));
                }
            }
        }
        return conflicts;
    }

    private static ApiException ConflictError(List<(ManagerEntry Owner, string Path)> conflicts)
    {
        var causes = new JsonArray();
        foreach (var (owner, path) in conflicts)
        {
            causes.Add(new JsonObject
            {
                ["reason"] = "FieldManagerConflict",
                ["message"] = $"conflict with {owner.Describe()}",
                ["field"] = PathElements.Display(path),
            });
        }
        string message;
        if (conflicts.Count == 1)
        {
            message = $"Apply failed with 1 conflict: conflict with {conflicts[0].Owner.Describe()}: {PathElements.Display(conflicts[0].Path)}";
        }
        else
        {
            var lines = new List<string>();
            foreach (var group in conflicts.GroupBy(c => c.Owner.Describe()).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                lines.Add($"conflicts with {group.Key}:");
                lines.AddRange(group.Select(c => "- " + PathElements.Display(c.Path)));
            }
            message = $"Apply failed with {conflicts.Count} conflicts: {string.Join("\n", lines)}";
        }
        return ApiErrors.ApplyConflict(message, causes);
    }

    private static void MergeObject(JsonObject target, JsonObject config, Shape shape, bool atRoot)
    {
        foreach (var (name, value) in config)
        {
            var childShape = shape.Child(name, atRoot);
            var current = target[name];
            if (value is JsonObject co && current is JsonObject to)
            {
                MergeObject(to, co, childShape, atRoot: false);
            }
            else if (value is JsonArray ca && current is JsonArray ta && childShape.ListType(name) is var (type, keys) && type != "atomic")
            {
                if (type == "map" && keys.Length > 0)
                {
                    MergeKeyedList(ta, ca, keys, childShape.Items());
                }
                else
                {
                    foreach (var item in ca.Where(i => !ta.Any(t => JsonNode.DeepEquals(t, i))))
                    {
                        ta.Add(item?.DeepClone());
                    }
                }
            }
            else
            {
                target[name] = value?.DeepClone();
            }
        }
    }

    private static void MergeKeyedList(JsonArray target, JsonArray config, string[] keys, Shape itemShape)
    {
        foreach (var item in config.OfType<JsonObject>())
        {
            var match = target.OfType<JsonObject>().FirstOrDefault(t => keys.All(k => JsonNode.DeepEquals(t[k], item[k])));
            if (match is not null)
            {
                MergeObject(match, item, itemShape, atRoot: false);
            }
            else
            {
                target.Add(item.DeepClone());
            }
        }
    }

    private static JsonObject StripManaged(JsonObject obj)
    {
        var copy = (JsonObject)obj.DeepClone();
        (copy["metadata"] as JsonObject)?.Remove("managedFields");
        return copy;
    }
}

/// <summary>Who applies, where, and whether conflicts are overridden.</summary>
internal sealed record ApplyRequest(string Manager, bool Force, string Subresource, string ApiVersion, string Now);
