using System.Text.Json.Nodes;

namespace KubeCache.FakeApiServer.Apply;

/// <summary>
/// A set of field paths in FieldsV1 notation. A path is its elements (<c>f:spec</c>,
/// <c>k:{"type":"Ready"}</c>, <c>v:"a"</c>) joined by newlines, which no element contains.
/// Members are leaves (scalars, atomic lists, empty objects) and keyed list items.
/// </summary>
internal sealed class FieldSet
{
    private static readonly HashSet<string> Unowned = ["f:name", "f:namespace", "f:uid", "f:resourceVersion", "f:generation",
        "f:creationTimestamp", "f:deletionTimestamp", "f:deletionGracePeriodSeconds", "f:managedFields", "f:selfLink", "f:generateName"];

    public HashSet<string> Paths { get; } = new(StringComparer.Ordinal);

    public int Count => Paths.Count;

    public FieldSet() { }

    public FieldSet(IEnumerable<string> paths) => Paths.UnionWith(paths);

    public bool Contains(string path) => Paths.Contains(path);

    /// <summary>The fields an object sets, excluding identity and server-owned metadata.</summary>
    public static FieldSet Of(JsonObject obj, Shape shape)
    {
        var set = new FieldSet();
        foreach (var (name, value) in obj)
        {
            if (name is "apiVersion" or "kind" || value is null)
            {
                continue;
            }
            if (name == "metadata" && value is JsonObject meta)
            {
                var metaShape = shape.Child("metadata", atRoot: true);
                foreach (var (m, mv) in meta)
                {
                    if (mv is not null && !Unowned.Contains("f:" + m))
                    {
                        set.Collect(mv, metaShape.Child(m, false), m, "f:metadata\nf:" + m);
                    }
                }
                continue;
            }
            set.Collect(value, shape.Child(name, atRoot: true), name, "f:" + name);
        }
        return set;
    }

    private void Collect(JsonNode value, Shape shape, string name, string path)
    {
        switch (value)
        {
            case JsonObject o when o.Count == 0:
                Paths.Add(path);
                break;
            case JsonObject o:
                foreach (var (child, cv) in o)
                {
                    if (cv is not null)
                    {
                        Collect(cv, shape.Child(child, false), child, path + "\nf:" + child);
                    }
                    else
                    {
                        Paths.Add(path + "\nf:" + child);
                    }
                }
                break;
            case JsonArray a:
                var (type, keys) = shape.ListType(name);
                if (type == "map" && keys.Length > 0)
                {
                    foreach (var item in a.OfType<JsonObject>())
                    {
                        var itemPath = path + "\n" + PathElements.Key(item, keys);
                        Paths.Add(itemPath);
                        foreach (var (child, cv) in item)
                        {
                            if (cv is not null)
                            {
                                Collect(cv, shape.Items().Child(child, false), child, itemPath + "\nf:" + child);
                            }
                        }
                    }
                }
                else if (type == "set")
                {
                    foreach (var item in a)
                    {
                        Paths.Add(path + "\nv:" + (item?.ToJsonString() ?? "null"));
                    }
                }
                else
                {
                    Paths.Add(path);
                }
                break;
            default:
                Paths.Add(path);
                break;
        }
    }

    /// <summary>The FieldsV1 object (<c>{"f:spec":{"f:replicas":{}}}</c>).</summary>
    public JsonObject ToFieldsV1()
    {
        var root = new JsonObject();
        foreach (var path in Paths.Order(StringComparer.Ordinal))
        {
            var node = root;
            foreach (var element in path.Split('\n'))
            {
                if (node[element] is not JsonObject next)
                {
                    next = [];
                    node[element] = next;
                }
                node = next;
            }
        }
        foreach (var path in Paths)
        {
            var node = root;
            foreach (var element in path.Split('\n'))
            {
                node = (JsonObject)node[element]!;
            }
            if (node.Count > 0 && !node.ContainsKey("."))
            {
                node["."] = new JsonObject();
            }
        }
        return root;
    }

    public static FieldSet FromFieldsV1(JsonObject? fields)
    {
        var set = new FieldSet();
        if (fields is not null)
        {
            Read(fields, "", set);
        }
        return set;
    }

    private static void Read(JsonObject node, string prefix, FieldSet set)
    {
        foreach (var (element, child) in node)
        {
            if (element == ".")
            {
                set.Paths.Add(prefix);
                continue;
            }
            var path = prefix.Length == 0 ? element : prefix + "\n" + element;
            if (child is JsonObject c && c.Count > 0)
            {
                Read(c, path, set);
            }
            else
            {
                set.Paths.Add(path);
            }
        }
    }
}
