using System.Text.Json;
using System.Text.Json.Nodes;

namespace KubeCache.FakeApiServer.Schema;

/// <summary>Navigation in a structural schema (openAPIV3Schema).</summary>
internal static class SchemaNode
{
    /// <summary>The schema of property <paramref name="name"/> of an object schema, or null when undeclared.</summary>
    public static JsonObject? Property(JsonObject? schema, string name)
    {
        if (schema is null)
        {
            return null;
        }
        if (schema["properties"] is JsonObject props && props[name] is JsonObject p)
        {
            return p;
        }
        return schema["additionalProperties"] as JsonObject;
    }

    /// <summary>The schema of an array's items, or null.</summary>
    public static JsonObject? Items(JsonObject? schema) => schema?["items"] as JsonObject;

    public static string? Type(JsonObject? schema) => schema?["type"] is JsonValue v ? v.GetValue<string>() : null;

    public static bool Flag(JsonObject? schema, string name) => schema?[name]?.GetValueKind() == JsonValueKind.True;

    /// <summary>Whether unknown fields under this node are kept rather than pruned.</summary>
    public static bool PreservesUnknown(JsonObject? schema) =>
        schema is null || Flag(schema, "x-kubernetes-preserve-unknown-fields") || schema["additionalProperties"] is JsonObject
        || schema["additionalProperties"]?.GetValueKind() == JsonValueKind.True
        || (Type(schema) == "object" && schema["properties"] is null && schema["additionalProperties"] is null && Flag(schema, "x-kubernetes-embedded-resource"));

    /// <summary>The list type of an array schema: atomic (default), set or map with its keys.</summary>
    public static (string Type, string[] Keys) ListType(JsonObject? schema)
    {
        var type = schema?["x-kubernetes-list-type"] is JsonValue v ? v.GetValue<string>() : "atomic";
        var keys = schema?["x-kubernetes-list-map-keys"] is JsonArray a ? a.Select(k => k!.GetValue<string>()).ToArray() : [];
        return (type, keys);
    }
}
