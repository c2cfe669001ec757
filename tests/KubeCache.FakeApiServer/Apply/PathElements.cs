using System.Text;
using System.Text.Json.Nodes;

namespace KubeCache.FakeApiServer.Apply;

/// <summary>Reading, removing and printing the values that FieldsV1 paths point at.</summary>
internal static class PathElements
{
    /// <summary>The <c>k:{…}</c> element of a keyed list item (keys sorted, compact JSON).</summary>
    public static string Key(JsonObject item, string[] keys)
    {
        var k = new JsonObject();
        foreach (var key in keys.Order(StringComparer.Ordinal))
        {
            k[key] = item[key]?.DeepClone();
        }
        return "k:" + k.ToJsonString();
    }

    /// <summary>Whether <paramref name="path"/> points at a leaf a value can conflict on.</summary>
    public static bool IsLeafField(string path) => path[(path.LastIndexOf('\n') + 1)..].StartsWith("f:", StringComparison.Ordinal);

    /// <summary>The node at <paramref name="path"/>, or (false, null) when it is not there.</summary>
    public static (bool Found, JsonNode? Value) Get(JsonObject root, string path)
    {
        JsonNode? node = root;
        foreach (var element in path.Split('\n'))
        {
            var (found, next, _, _) = Step(node, element);
            if (!found)
            {
                return (false, null);
            }
            node = next;
        }
        return (true, node);
    }

    /// <summary>Removes the field, list item or set value at <paramref name="path"/> if present.</summary>
    public static void Remove(JsonObject root, string path)
    {
        var elements = path.Split('\n');
        JsonNode? node = root;
        for (var i = 0; i < elements.Length - 1; i++)
        {
            var (found, next, _, _) = Step(node, elements[i]);
            if (!found)
            {
                return;
            }
            node = next;
        }
        var (hit, _, obj, index) = Step(node, elements[^1]);
        if (!hit)
        {
            return;
        }
        if (node is JsonObject o && obj is not null)
        {
            o.Remove(obj);
        }
        else if (node is JsonArray a && index >= 0)
        {
            a.RemoveAt(index);
        }
    }

    private static (bool Found, JsonNode? Next, string? Property, int Index) Step(JsonNode? node, string element)
    {
        var kind = element[..2];
        var rest = element[2..];
        switch (kind)
        {
            case "f:" when node is JsonObject o && o.ContainsKey(rest):
                return (true, o[rest], rest, -1);
            case "k:" when node is JsonArray a:
                var keys = JsonNode.Parse(rest) as JsonObject ?? [];
                for (var i = 0; i < a.Count; i++)
                {
                    if (a[i] is JsonObject item && keys.All(k => JsonNode.DeepEquals(item[k.Key], k.Value)))
                    {
                        return (true, item, null, i);
                    }
                }
                break;
            case "v:" when node is JsonArray a:
                var value = JsonNode.Parse(rest);
                for (var i = 0; i < a.Count; i++)
                {
                    if (JsonNode.DeepEquals(a[i], value))
                    {
                        return (true, a[i], null, i);
                    }
                }
                break;
            case "i:" when node is JsonArray a && int.TryParse(rest, out var idx) && idx < a.Count:
                return (true, a[idx], null, idx);
        }
        return (false, null, null, -1);
    }

    /// <summary>The path as apiserver messages print it: <c>.spec.replicas</c>, <c>.status.conditions[type="Ready"]</c>.</summary>
    public static string Display(string path)
    {
        var sb = new StringBuilder();
        foreach (var element in path.Split('\n'))
        {
            var rest = element[2..];
            switch (element[..2])
            {
                case "f:":
                    sb.Append('.').Append(rest);
                    break;
                case "k:":
                    var keys = JsonNode.Parse(rest) as JsonObject ?? [];
                    sb.Append('[').Append(string.Join(",", keys.Select(k => $"{k.Key}={k.Value?.ToJsonString()}"))).Append(']');
                    break;
                case "v:":
                    sb.Append("[=").Append(rest).Append(']');
                    break;
                default:
                    sb.Append('[').Append(rest).Append(']');
                    break;
            }
        }
        return sb.ToString();
    }
}
