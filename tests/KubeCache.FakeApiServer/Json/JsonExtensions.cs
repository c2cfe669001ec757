using System.Text.Json;
using System.Text.Json.Nodes;

namespace KubeCache.FakeApiServer.Json;

/// <summary>Small helpers for reading and writing untyped objects.</summary>
internal static class JsonExtensions
{
    /// <summary>The string at a property path, or null when missing or not a string.</summary>
    public static string? Str(this JsonNode? node, params string[] path)
    {
        foreach (var p in path)
        {
            node = node is JsonObject o ? o[p] : null;
        }
        return node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
    }

    /// <summary>The object at <c>metadata</c>, created when missing.</summary>
    public static JsonObject Meta(this JsonObject obj)
    {
        if (obj["metadata"] is JsonObject m)
        {
            return m;
        }
        m = [];
        obj["metadata"] = m;
        return m;
    }

    public static string Name(this JsonObject obj) => obj.Str("metadata", "name") ?? "";

    public static string Namespace(this JsonObject obj) => obj.Str("metadata", "namespace") ?? "";

    public static string Uid(this JsonObject obj) => obj.Str("metadata", "uid") ?? "";

    public static string ResourceVersion(this JsonObject obj) => obj.Str("metadata", "resourceVersion") ?? "";

    public static long Generation(this JsonObject obj) => obj["metadata"]?["generation"].AsLong() ?? 0;

    /// <summary>The integer value of a number node (whatever CLR type backs it), or null.</summary>
    public static long? AsLong(this JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
        && long.TryParse(v.ToJsonString(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>The value of a number node (whatever CLR type backs it), or null.</summary>
    public static double? AsDouble(this JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
        && double.TryParse(v.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>Labels as a dictionary (empty when none).</summary>
    public static Dictionary<string, string> Labels(this JsonObject obj)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (obj["metadata"]?["labels"] is JsonObject labels)
        {
            foreach (var (k, v) in labels)
            {
                result[k] = v is JsonValue s && s.GetValueKind() == JsonValueKind.String ? s.GetValue<string>() : v?.ToJsonString() ?? "";
            }
        }
        return result;
    }

    /// <summary>Finalizer names (empty when none).</summary>
    public static List<string> Finalizers(this JsonObject obj) =>
        obj["metadata"]?["finalizers"] is JsonArray a ? [.. a.Select(f => f?.GetValue<string>() ?? "")] : [];

    /// <summary>The value at a dot path such as <c>.spec.replicas</c>, or null.</summary>
    public static JsonNode? AtDotPath(this JsonObject obj, string dotPath)
    {
        JsonNode? node = obj;
        foreach (var p in dotPath.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            node = node is JsonObject o ? o[p] : null;
        }
        return node;
    }

    /// <summary>Sets the value at a dot path, creating objects on the way.</summary>
    public static void SetDotPath(this JsonObject obj, string dotPath, JsonNode? value)
    {
        var parts = dotPath.Split('.', StringSplitOptions.RemoveEmptyEntries);
        var node = obj;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            if (node[parts[i]] is not JsonObject next)
            {
                next = [];
                node[parts[i]] = next;
            }
            node = next;
        }
        node[parts[^1]] = value;
    }

    /// <summary>A parsed JSON object, or a 400 BadRequest when the body is not one.</summary>
    public static JsonObject ParseObject(ReadOnlySpan<byte> utf8)
    {
        try
        {
            return JsonNode.Parse(utf8) as JsonObject
                ?? throw Errors.ApiErrors.BadRequest("the request body must be a JSON object");
        }
        catch (JsonException e)
        {
            throw Errors.ApiErrors.BadRequest($"the request body is not valid JSON: {e.Message}");
        }
    }

    /// <summary>The current time as Kubernetes writes <c>Time</c> (RFC 3339, seconds, UTC).</summary>
    public static string Timestamp(DateTimeOffset now) => now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
