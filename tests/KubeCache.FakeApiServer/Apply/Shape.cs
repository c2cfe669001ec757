using System.Text.Json.Nodes;
using KubeCache.FakeApiServer.Resources;
using KubeCache.FakeApiServer.Schema;

namespace KubeCache.FakeApiServer.Apply;

/// <summary>
/// What server-side apply needs to know about a position in an object: its schema (custom
/// resources) or, for built-in kinds and metadata, the list types and merge keys the real
/// schema declares (<c>x-kubernetes-list-type</c>, <c>x-kubernetes-list-map-keys</c>).
/// <paramref name="Kind"/> and <paramref name="Path"/> (field names from the root, items as
/// <c>[]</c>) tell apart lists of one name that the schema keys differently, such as ports.
/// </summary>
internal sealed record Shape(JsonObject? Schema, bool BuiltIn, string Kind = "", string Path = "")
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
        ["topologySpreadConstraints"] = ("map", ["topologyKey", "whenUnsatisfiable"]),
        ["conditions"] = ("map", ["type"]),
        ["ownerReferences"] = ("map", ["uid"]),
        ["finalizers"] = ("set", []),
    };

    public static Shape Root(ResourceType type) => new(type.Schema, type.Schema is null, type.Kind);

    public Shape Child(string name, bool atRoot) =>
        atRoot && name == "metadata" ? new Shape(null, true, Kind, "metadata") : new Shape(SchemaNode.Property(Schema, name), BuiltIn, Kind, Path + "." + name);

    public Shape Items() => new(SchemaNode.Items(Schema), BuiltIn, Kind, Path + "[]");

    /// <summary>The list type of field <paramref name="name"/> whose shape is this one.</summary>
    public (string Type, string[] Keys) ListType(string name)
    {
        if (Schema?["x-kubernetes-list-type"] is not null)
        {
            return SchemaNode.ListType(Schema);
        }
        if (!BuiltIn)
        {
            return ("atomic", []);
        }
        if (name == "ports")
        {
            // A Service's ports are keyed by port and protocol, a container's by containerPort and protocol.
            return Kind == "Service" && Path == ".spec.ports" ? ("map", ["port", "protocol"])
                : Path.EndsWith("ontainers[].ports", StringComparison.Ordinal) ? ("map", ["containerPort", "protocol"])
                : ("atomic", []);
        }
        return KnownLists.TryGetValue(name, out var known) ? known : ("atomic", []);
    }
}
