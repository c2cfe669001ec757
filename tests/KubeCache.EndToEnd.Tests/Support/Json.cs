using System.Globalization;
using System.Text.Json.Nodes;

namespace KubeCache.EndToEnd.Tests.Support;

/// <summary>Reading and building the untyped objects the fake API server stores.</summary>
internal static class Json
{
    public static string? Str(this JsonNode? node, params string[] path)
    {
        JsonNode? at = node;
        foreach (string step in path)
        {
            at = at is JsonObject o ? o[step] : null;
        }
        return at is JsonValue v && v.TryGetValue(out string? s) ? s : null;
    }

    public static long? Long(this JsonNode? node, params string[] path)
    {
        JsonNode? at = node;
        foreach (string step in path)
        {
            at = at is JsonObject o ? o[step] : null;
        }
        if (at is not JsonValue v)
        {
            return null;
        }
        if (v.TryGetValue(out long l))
        {
            return l;
        }
        if (v.TryGetValue(out int i))
        {
            return i;
        }
        return v.TryGetValue(out double d) ? (long)d : null;
    }

    public static JsonObject Obj(this JsonObject parent, string name)
    {
        if (parent[name] is JsonObject existing)
        {
            return existing;
        }
        var created = new JsonObject();
        parent[name] = created;
        return created;
    }

    public static IEnumerable<JsonObject> Objects(this JsonNode? node) =>
        node is JsonArray array ? array.OfType<JsonObject>() : [];

    public static string Name(this JsonObject obj) => obj.Str("metadata", "name") ?? "";

    public static string Namespace(this JsonObject obj) => obj.Str("metadata", "namespace") ?? "";

    public static string Uid(this JsonObject obj) => obj.Str("metadata", "uid") ?? "";

    public static bool IsTerminating(this JsonObject obj) => obj["metadata"]?["deletionTimestamp"] is not null;

    public static bool IsOwnedBy(this JsonObject obj, string uid) =>
        obj["metadata"]?["ownerReferences"].Objects().Any(r => r.Str("uid") == uid) == true;

    /// <summary>The status of the condition of <paramref name="type"/>, or null.</summary>
    public static string? Condition(this JsonObject obj, string type) =>
        obj["status"]?["conditions"].Objects().FirstOrDefault(c => c.Str("type") == type).Str("status");

    public static string Timestamp(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static JsonObject OwnerReference(JsonObject owner) => new()
    {
        ["apiVersion"] = owner.Str("apiVersion"),
        ["kind"] = owner.Str("kind"),
        ["name"] = owner.Name(),
        ["uid"] = owner.Uid(),
        ["controller"] = true,
        ["blockOwnerDeletion"] = true,
    };
}
