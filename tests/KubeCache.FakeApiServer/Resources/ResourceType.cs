using System.Text.Json.Nodes;

namespace KubeCache.FakeApiServer.Resources;

/// <summary>One served resource (group, version, plural) and what the server knows about it.</summary>
public sealed class ResourceType
{
    public required string Group { get; init; }
    public required string Version { get; init; }
    public required string Plural { get; init; }
    public required string Singular { get; init; }
    public required string Kind { get; init; }
    public required bool Namespaced { get; init; }
    public IReadOnlyList<string> ShortNames { get; init; } = [];
    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>Whether <c>/status</c> exists; then the main resource ignores <c>status</c>.</summary>
    public bool HasStatus { get; init; }

    /// <summary>The <c>/scale</c> subresource, or null.</summary>
    public ScaleSubresource? Scale { get; init; }

    /// <summary>Whether <c>metadata.generation</c> is kept (custom resources and workloads).</summary>
    public bool HasGeneration { get; init; }

    /// <summary>
    /// Custom resources: PUT needs a resourceVersion and never creates, strategic merge
    /// patches are refused, list items carry kind and apiVersion.
    /// </summary>
    public bool IsCustom { get; init; }

    /// <summary>Printer columns after Name (custom resources' additionalPrinterColumns).</summary>
    public IReadOnlyList<PrinterColumn> Columns { get; init; } = [];

    /// <summary>The structural schema (openAPIV3Schema) of a custom resource, or null.</summary>
    public JsonObject? Schema { get; init; }

    /// <summary>The version objects are stored in; other versions only rewrite apiVersion.</summary>
    public bool StorageVersion { get; init; } = true;

    public string GroupVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary><c>plural.group</c>, as in error messages.</summary>
    public string GroupResource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    /// <summary><c>Kind.group</c>, as in Invalid messages.</summary>
    public string QualifiedKind => Group.Length == 0 ? Kind : $"{Kind}.{Group}";

    /// <summary>Objects of every version of one group and plural share storage.</summary>
    public string StorageKey => $"{Group}/{Plural}";

    public string ListKind => Kind + "List";

    public override string ToString() => $"{GroupResource}/{Version}";
}

/// <summary>Where the scale subresource reads and writes replicas (dot paths such as <c>.spec.replicas</c>).</summary>
public sealed record ScaleSubresource(string SpecReplicasPath, string StatusReplicasPath, string? LabelSelectorPath)
{
    /// <summary>Workloads: the Scale's selector is <c>spec.selector</c> serialized.</summary>
    public bool SelectorFromSpec { get; init; }
}

/// <summary>A table column (additionalPrinterColumns entry).</summary>
public sealed record PrinterColumn(string Name, string Type, string? Format, string JsonPath, string Description, int Priority);
