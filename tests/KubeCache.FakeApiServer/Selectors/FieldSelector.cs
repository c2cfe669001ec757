using System.Text.Json;
using System.Text.Json.Nodes;
using KubeCache.FakeApiServer.Errors;
using KubeCache.FakeApiServer.Json;

namespace KubeCache.FakeApiServer.Selectors;

/// <summary>
/// A parsed <c>fieldSelector</c>: <c>path=value</c>, <c>path==value</c>, <c>path!=value</c>, comma-separated.
/// Custom resources accept only <c>metadata.name</c> and <c>metadata.namespace</c>, as a real
/// apiserver does without selectableFields; built-in kinds accept any dot path.
/// </summary>
internal sealed class FieldSelector
{
    private readonly List<(string Path, bool Equal, string Value)> _terms;

    private FieldSelector(List<(string, bool, string)> terms) => _terms = terms;

    public static FieldSelector Everything { get; } = new([]);

    public static FieldSelector Parse(string? text, bool customResource)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }
        var terms = new List<(string, bool, string)>();
        foreach (var raw in text.Split(','))
        {
            var term = raw.Trim();
            var (at, len, equal) = term.IndexOf("!=", StringComparison.Ordinal) is var ne and > 0 ? (ne, 2, false)
                : term.IndexOf("==", StringComparison.Ordinal) is var ee and > 0 ? (ee, 2, true)
                : (term.IndexOf('=', StringComparison.Ordinal), 1, true);
            if (at <= 0)
            {
                throw ApiErrors.BadRequest($"invalid selector: '{text}'; can't understand '{term}'");
            }
            var path = term[..at].Trim();
            if (customResource && path is not "metadata.name" and not "metadata.namespace")
            {
                throw ApiErrors.BadRequest($"\"{path}\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"");
            }
            terms.Add((path, equal, term[(at + len)..].Trim()));
        }
        return new FieldSelector(terms);
    }

    public bool Matches(JsonObject obj) => _terms.All(t => (Value(obj, t.Path) == t.Value) == t.Equal);

    private static string Value(JsonObject obj, string path)
    {
        var node = obj.AtDotPath(path);
        return node switch
        {
            null => "",
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            _ => node.ToJsonString(),
        };
    }
}
