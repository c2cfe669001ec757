using System.Text.Json.Nodes;

namespace KubeCache.FakeApiServer.Schema;

/// <summary>
/// Structural defaulting and pruning as the apiserver applies them to custom resources on
/// every write: nulls that the schema does not allow are dropped, unknown fields are pruned
/// (unless preserved), then <c>default</c> values fill missing properties.
/// </summary>
internal static class SchemaDefaults
{
    /// <summary>Prunes then defaults <paramref name="obj"/> in place; returns the pruned field paths.</summary>
    public static List<string> Apply(JsonObject obj, JsonObject schema)
    {
        var pruned = new List<string>();
        foreach (var (name, _) in obj.ToList())
        {
            if (name is "apiVersion" or "kind" or "metadata")
            {
                continue;
            }
            Walk(obj, name, SchemaNode.Property(schema, name), SchemaNode.PreservesUnknown(schema), name, pruned);
        }
        AddDefaults(obj, schema, root: true);
        return pruned;
    }

    private static void Walk(JsonObject parent, string name, JsonObject? schema, bool parentPreserves, string path, List<string> pruned)
    {
        var value = parent[name];
        if (schema is null)
        {
            if (!parentPreserves)
            {
                parent.Remove(name);
                pruned.Add(path);
            }
            return;
        }
        if (value is null)
        {
            if (!SchemaNode.Flag(schema, "nullable"))
            {
                parent.Remove(name);
            }
            return;
        }
        WalkValue(value, schema, path, pruned);
    }

    private static void WalkValue(JsonNode value, JsonObject schema, string path, List<string> pruned)
    {
        if (value is JsonObject o && !SchemaNode.Flag(schema, "x-kubernetes-embedded-resource"))
        {
            var preserves = SchemaNode.PreservesUnknown(schema);
            foreach (var (child, _) in o.ToList())
            {
                Walk(o, child, SchemaNode.Property(schema, child), preserves, path + "." + child, pruned);
            }
        }
        else if (value is JsonArray a && SchemaNode.Items(schema) is { } items)
        {
            for (var i = 0; i < a.Count; i++)
            {
                if (a[i] is { } item)
                {
                    WalkValue(item, items, $"{path}[{i}]", pruned);
                }
            }
        }
    }

    private static void AddDefaults(JsonNode? value, JsonObject? schema, bool root = false)
    {
        if (schema is null)
        {
            return;
        }
        if (value is JsonObject o)
        {
            if (schema["properties"] is JsonObject props)
            {
                foreach (var (name, propSchema) in props)
                {
                    if (root && name == "metadata")
                    {
                        continue;
                    }
                    if (!o.ContainsKey(name) && propSchema?["default"] is { } def)
                    {
                        o[name] = def.DeepClone();
                    }
                    if (o[name] is { } child)
                    {
                        AddDefaults(child, propSchema as JsonObject);
                    }
                }
            }
            if (schema["additionalProperties"] is JsonObject extra)
            {
                foreach (var (_, child) in o.ToList())
                {
                    AddDefaults(child, extra);
                }
            }
        }
        else if (value is JsonArray a)
        {
            foreach (var item in a)
            {
                AddDefaults(item, SchemaNode.Items(schema));
            }
        }
    }
}
