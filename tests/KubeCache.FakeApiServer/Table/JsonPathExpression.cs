using System.Text.Json;
using System.Text.Json.Nodes;

namespace KubeCache.FakeApiServer.Table;

/// <summary>
/// The JSONPath subset printer columns use: <c>.a.b</c>, <c>.a[0]</c>, <c>.a[*].b</c> and
/// filters <c>.a[?(@.type=="Ready")].status</c>. Returns every match in document order.
/// </summary>
internal static class JsonPathExpression
{
    public static List<JsonNode?> Evaluate(JsonNode? root, string path)
    {
        var current = new List<JsonNode?> { root };
        var p = path.Trim().TrimStart('{').TrimEnd('}').TrimStart('$');
        var i = 0;
        while (i < p.Length)
        {
            if (p[i] == '.')
            {
                var end = i + 1;
                while (end < p.Length && p[end] is not '.' and not '[')
                {
                    end++;
                }
                var name = p[(i + 1)..end];
                current = [.. current.Select(n => n is JsonObject o ? o[name] : null).Where(n => n is not null)];
                i = end;
            }
            else if (p[i] == '[')
            {
                var close = FindClose(p, i);
                var inner = p[(i + 1)..close];
                current = [.. current.SelectMany(n => Index(n, inner))];
                i = close + 1;
            }
            else
            {
                return [];
            }
        }
        return current;
    }

    private static int FindClose(string p, int open)
    {
        var depth = 0;
        for (var j = open; j < p.Length; j++)
        {
            depth += p[j] == '[' ? 1 : p[j] == ']' ? -1 : 0;
            if (depth == 0)
            {
                return j;
            }
        }
        return p.Length - 1;
    }

    private static IEnumerable<JsonNode?> Index(JsonNode? node, string inner)
    {
        if (node is not JsonArray a)
        {
            return [];
        }
        if (inner == "*")
        {
            return a;
        }
        if (int.TryParse(inner, out var idx))
        {
            return idx >= 0 && idx < a.Count ? [a[idx]] : [];
        }
        if (inner.StartsWith("?(@", StringComparison.Ordinal) && inner.EndsWith(')'))
        {
            var condition = inner[3..^1];
            var eq = condition.IndexOf("==", StringComparison.Ordinal);
            var field = eq < 0 ? condition : condition[..eq];
            var expected = eq < 0 ? null : condition[(eq + 2)..].Trim().Trim('"', '\'');
            return a.Where(item =>
            {
                var found = Evaluate(item, field.Trim());
                return found.Count > 0 && (expected is null || Text(found[0]) == expected);
            });
        }
        return [];
    }

    /// <summary>A scalar as text (strings unquoted).</summary>
    public static string Text(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : node?.ToJsonString() ?? "";
}
