using System.Text.Json.Nodes;
using KubeCache.FakeApiServer.Resources;
using KubeCache.FakeApiServer.Schema;

namespace KubeCache.FakeApiServer.Apply;

/// <summary>
/// What server-side apply needs to know about a position in an object: its schema (custom
/// resources) or, for built-in kinds and metadata, a table of well-known keyed lists.
/// </summary>
internal sealed record Shape(JsonObject? Schema, bool BuiltIn)
{
    private static readonly Dictionary<string, (string, string[])> KnownLists = new(StringComparer.Ordinal)
    {
        ["containers"] = ("map", ["name"]),
        ["initContainers"] = ("map", ["name"]),
        ["ephemeralContainers"] = ("map", ["name"]),
        ["env"] = ("map", ["name"]),
        ["volumes"] = ("map", ["name"]),
        ["imagePullSecrets"] = ("map", ["name"]),
        ["volumeMounts"] = ("map", ["mountPath"]),
        ["conditions"] = ("map", ["type"]),
        ["ownerReferences"] = ("map", ["uid"]),
        ["finalizers"] = ("set", []),
    };

    public static Shape Root(ResourceType type) => new(type.Schema, type.Schema is null);

    public Shape Child(string name, bool atRoot) =>
        atRoot && name == "metadata" ? new Shape(null, true) : new Shape(SchemaNode.Property(Schema, name), BuiltIn);

    public Shape Items() => new(SchemaNode.Items(Schema), BuiltIn);

    /// <summary>The list type of field <paramref name="name"/> whose shape is this one.</summary>
    public (string Type, string[] Keys) ListType(string name)
    {
        if (Schema?["x-kubernetes-list-type"] is not null)
        {
            return SchemaNode.ListType(Schema);
        }
        return BuiltIn && KnownLists.TryGetValue(name, out var known) ? known : ("atomic", []);
    }
}
