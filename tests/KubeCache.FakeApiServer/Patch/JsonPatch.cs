using System.Globalization;
using System.Text.Json.Nodes;
using KubeCache.FakeApiServer.Errors;

namespace KubeCache.FakeApiServer.Patch;

/// <summary>
/// JSON patch (RFC 6902): add, remove, replace, move, copy and test with JSON pointers
/// (RFC 6901). A failing operation rejects the whole patch with 422, as the apiserver does.
/// </summary>
internal static class JsonPatch
{
    public static JsonObject Apply(JsonObject target, JsonNode? patch)
    {
        if (patch is not JsonArray ops)
        {
            throw ApiErrors.BadRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
        }
        JsonNode doc = target.DeepClone();
        foreach (var op in ops)
        {
            if (op is not JsonObject o)
            {
                throw ApiErrors.BadRequest("json patch operations must be objects");
            }
            doc = ApplyOne(doc, o);
        }
        return doc as JsonObject ?? throw Failed("the patched document is not an object");
    }

    private static JsonNode ApplyOne(JsonNode doc, JsonObject op)
    {
        var kind = op["op"]?.GetValue<string>() ?? throw Failed("Unexpected kind: <nil>");
        var path = op["path"]?.GetValue<string>() ?? throw Failed($"missing path in {kind} operation");
        switch (kind)
        {
            case "add":
                return Add(doc, path, Value(op));
            case "remove":
                Remove(doc, path);
                return doc;
            case "replace":
                Remove(doc, path);
                return Add(doc, path, Value(op));
            case "move":
                {
                    var from = op["from"]?.GetValue<string>() ?? throw Failed("missing from in move operation");
                    var moved = Get(doc, from).DeepClone();
                    Remove(doc, from);
                    return Add(doc, path, moved);
                }
            case "copy":
                {
                    var from = op["from"]?.GetValue<string>() ?? throw Failed("missing from in copy operation");
                    return Add(doc, path, Get(doc, from).DeepClone());
                }
            case "test":
                if (!JsonNode.DeepEquals(GetOrNull(doc, path), op["value"]))
                {
                    throw Failed($"testing value {path} failed: test failed");
                }
                return doc;
            default:
                throw Failed($"Unexpected kind: {kind}");
        }
    }

    private static JsonNode? Value(JsonObject op) =>
        op.ContainsKey("value") ? op["value"]?.DeepClone() : throw Failed("missing value in operation");

    private static JsonNode Add(JsonNode doc, string path, JsonNode? value)
    {
        if (path.Length == 0)
        {
            return value ?? throw Failed("cannot replace the document with null");
        }
        var (parent, key) = Parent(doc, path);
        switch (parent)
        {
            case JsonObject o:
                o[key] = value;
                break;
            case JsonArray a:
                var index = key == "-" ? a.Count : Index(key, a.Count + 1, path);
                a.Insert(index, value);
                break;
            default:
                throw Failed($"add operation does not apply: doc is missing path: \"{path}\"");
        }
        return doc;
    }

    private static void Remove(JsonNode doc, string path)
    {
        var (parent, key) = Parent(doc, path);
        switch (parent)
        {
            case JsonObject o when o.ContainsKey(key):
                o.Remove(key);
                break;
            case JsonArray a:
                a.RemoveAt(Index(key, a.Count, path));
                break;
            default:
                throw Failed($"remove operation does not apply: doc is missing path: \"{path}\"");
        }
    }

    private static JsonNode Get(JsonNode doc, string path) =>
        GetOrNull(doc, path) ?? throw Failed($"doc is missing path: \"{path}\"");

    private static JsonNode? GetOrNull(JsonNode doc, string path)
    {
        JsonNode? node = doc;
        foreach (var token in Tokens(path))
        {
            node = node switch
            {
                JsonObject o => o[token],
                JsonArray a when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count => a[i],
                _ => null,
            };
        }
        return node;
    }

    private static (JsonNode? Parent, string Key) Parent(JsonNode doc, string path)
    {
        var tokens = Tokens(path);
        var parentPath = tokens.Count == 1 ? "" : "/" + string.Join("/", tokens.Take(tokens.Count - 1).Select(Escape));
        return (parentPath.Length == 0 ? doc : GetOrNull(doc, parentPath), tokens[^1]);
    }

    private static List<string> Tokens(string path)
    {
        if (path.Length == 0)
        {
            return [];
        }
        if (path[0] != '/')
        {
            throw Failed($"JSON pointer must be empty or start with a \"/\": {path}");
        }
        return [.. path[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];
    }

    private static string Escape(string token) => token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private static int Index(string key, int limit, string path) =>
        int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < limit
            ? i
            : throw Failed($"index out of range or invalid in path \"{path}\"");

    private static ApiException Failed(string message) => ApiErrors.PatchFailed(message);
}
