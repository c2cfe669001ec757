namespace KubeCache.Operator.Crd;

// Attributes on a custom resource's root type that describe the CRD itself rather than its schema.

/// <summary>The resource's names and scope; the root type must have it.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class CustomResourceAttribute(string group, string version, string kind, string plural) : Attribute
{
    public string Group { get; } = group;

    public string Version { get; } = version;

    public string Kind { get; } = kind;

    public string Plural { get; } = plural;

    /// <summary>Default: the kind in lower case.</summary>
    public string? Singular { get; init; }

    public string[] ShortNames { get; init; } = [];

    /// <summary>Namespaced or Cluster.</summary>
    public string Scope { get; init; } = "Namespaced";
}

/// <summary>An <c>additionalPrinterColumns</c> entry for <c>kubectl get</c>, in declaration order.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class PrinterColumnAttribute(int order, string name, string type, string jsonPath) : Attribute
{
    /// <summary>Position among the columns; attributes have no reliable order of their own.</summary>
    public int Order { get; } = order;

    public string Name { get; } = name;

    /// <summary>integer, number, string, boolean or date.</summary>
    public string Type { get; } = type;

    public string JsonPath { get; } = jsonPath;

    public string? Description { get; init; }

    /// <summary>0 shows the column always; higher shows it only with <c>-o wide</c>.</summary>
    public int Priority { get; init; }
}

/// <summary>The <c>scale</c> subresource, for <c>kubectl scale</c> and the HorizontalPodAutoscaler.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ScaleSubresourceAttribute(string specReplicasPath, string statusReplicasPath, string labelSelectorPath) : Attribute
{
    public string SpecReplicasPath { get; } = specReplicasPath;

    public string StatusReplicasPath { get; } = statusReplicasPath;

    public string LabelSelectorPath { get; } = labelSelectorPath;
}
