using System.Text.Json.Nodes;
using KubeCache.FakeApiServer.Json;

namespace KubeCache.FakeApiServer.Apply;

/// <summary>One <c>metadata.managedFields</c> entry.</summary>
internal sealed class ManagerEntry
{
    public required string Manager { get; init; }
    public required string Operation { get; init; }
    public string Subresource { get; init; } = "";
    public required string ApiVersion { get; set; }
    public string? Time { get; set; }
    public required FieldSet Fields { get; set; }

    public bool Is(string manager, string operation, string subresource) =>
        Manager == manager && Operation == operation && Subresource == subresource;

    /// <summary>How conflict messages name this manager.</summary>
    public string Describe()
    {
        var text = $"\"{Manager}\"";
        if (Subresource.Length > 0)
        {
            text += $" with subresource \"{Subresource}\"";
        }
        if (Operation == "Update")
        {
            text += Time is null ? $" using {ApiVersion}" : $" using {ApiVersion} at {Time}";
        }
        return text;
    }
}

/// <summary>Reads and writes <c>metadata.managedFields</c>, and records non-apply writes.</summary>
internal static class ManagedFields
{
    public static List<ManagerEntry> Read(JsonObject? obj)
    {
        var result = new List<ManagerEntry>();
        foreach (var e in (obj?["metadata"]?["managedFields"] as JsonArray ?? []).OfType<JsonObject>())
        {
            result.Add(new ManagerEntry
            {
                Manager = e.Str("manager") ?? "",
                Operation = e.Str("operation") ?? "Update",
                Subresource = e.Str("subresource") ?? "",
                ApiVersion = e.Str("apiVersion") ?? "",
                Time = e.Str("time"),
                Fields = FieldSet.FromFieldsV1(e["fieldsV1"] as JsonObject),
            });
        }
        return result;
    }

    public static void Write(JsonObject obj, List<ManagerEntry> entries)
    {
        var array = new JsonArray();
        foreach (var e in entries.Where(e => e.Fields.Count > 0))
        {
            var o = new JsonObject
            {
                ["manager"] = e.Manager,
                ["operation"] = e.Operation,
                ["apiVersion"] = e.ApiVersion,
            };
            if (e.Time is not null)
            {
                o["time"] = e.Time;
            }
            o["fieldsType"] = "FieldsV1";
            o["fieldsV1"] = e.Fields.ToFieldsV1();
            if (e.Subresource.Length > 0)
            {
                o["subresource"] = e.Subresource;
            }
            array.Add(o);
        }
        if (array.Count == 0)
        {
            obj.Meta().Remove("managedFields");
        }
        else
        {
            obj.Meta()["managedFields"] = array;
        }
    }

    /// <summary>
    /// Records an Update-operation write (create, PUT, patches, /scale): the manager takes the
    /// fields it changed from everyone else; fields the write removed leave every set.
    /// </summary>
    public static void RecordUpdate(JsonObject? old, JsonObject updated, Shape shape, string manager, string subresource, string apiVersion, string now)
    {
        var entries = Read(old);
        var before = old is null ? new FieldSet() : FieldSet.Of(old, shape);
        var after = FieldSet.Of(updated, shape);
        var changed = after.Paths.Where(p => !before.Contains(p) || !SameValue(old!, updated, p)).ToList();
        var removed = before.Paths.Where(p => !after.Contains(p)).ToList();
        foreach (var e in entries)
        {
            e.Fields.Paths.ExceptWith(removed);
            if (!e.Is(manager, "Update", subresource))
            {
                e.Fields.Paths.ExceptWith(changed);
            }
        }
        if (changed.Count > 0)
        {
            var mine = entries.FirstOrDefault(e => e.Is(manager, "Update", subresource));
            if (mine is null)
            {
                mine = new ManagerEntry { Manager = manager, Operation = "Update", Subresource = subresource, ApiVersion = apiVersion, Fields = new FieldSet() };
                entries.Add(mine);
            }
            mine.Fields.Paths.UnionWith(changed);
            mine.Time = now;
            mine.ApiVersion = apiVersion;
        }
        Write(updated, entries);
    }

    private static bool SameValue(JsonObject a, JsonObject b, string path) =>
        JsonNode.DeepEquals(PathElements.Get(a, path).Value, PathElements.Get(b, path).Value);
}
