using System.Reflection;
using System.Text.Json.Nodes;
using KubeCache.Operator.Builders;
using KubeCache.Operator.Resources;

namespace KubeCache.Operator.Crd;

/// <summary>
/// Builds apiextensions.k8s.io/v1 CustomResourceDefinitions from the custom resource types, so
/// the C# types are the one source of the schema (a test fails when <c>crds/</c> is stale).
/// </summary>
public static class CrdGenerator
{
    /// <summary>The command that rewrites the generated files, from the repository root.</summary>
    public const string RefreshCommand = "dotnet run --project src/Operator -- generate-crds $PWD/crds $PWD/charts/kvcache/crds";

    /// <summary>Every custom resource this operator defines.</summary>
    public static IReadOnlyList<Type> CustomResourceTypes { get; } = [typeof(KvCluster)];

    /// <summary>The CRD's file name: <c>{plural}.{group}.yaml</c>, which is also its object name.</summary>
    public static string FileName(Type resourceType) => $"{Names(resourceType).Plural}.{Names(resourceType).Group}.yaml";

    /// <summary>The CRD as YAML, with a header saying how to regenerate it.</summary>
    public static string GenerateYaml(Type resourceType) =>
        $"# Generated from the C# types in src/Operator/Resources; do not edit.\n# Refresh: {RefreshCommand}\n" +
        YamlWriter.Write(Generate(resourceType));

    /// <summary>The CRD as a JSON tree, keys in the order they are written.</summary>
    public static JsonObject Generate(Type resourceType)
    {
        CustomResourceAttribute names = Names(resourceType);
        var namesNode = new JsonObject
        {
            ["plural"] = names.Plural,
            ["singular"] = names.Singular ?? names.Kind.ToLowerInvariant(),
            ["kind"] = names.Kind,
            ["listKind"] = names.Kind + "List",
        };
        if (names.ShortNames.Length > 0)
        {
            namesNode["shortNames"] = new JsonArray([.. names.ShortNames.Select(n => (JsonNode)n)]);
        }

        return new JsonObject
        {
            ["apiVersion"] = "apiextensions.k8s.io/v1",
            ["kind"] = "CustomResourceDefinition",
            ["metadata"] = new JsonObject
            {
                ["name"] = $"{names.Plural}.{names.Group}",
                ["labels"] = new JsonObject { ["app.kubernetes.io/name"] = "kvcache", ["app.kubernetes.io/part-of"] = "kvcache" },
            },
            ["spec"] = new JsonObject
            {
                ["group"] = names.Group,
                ["scope"] = names.Scope,
                ["names"] = namesNode,
                ["versions"] = new JsonArray(Version(resourceType, names)),
            },
        };
    }

    private static JsonObject Version(Type resourceType, CustomResourceAttribute names)
    {
        var version = new JsonObject
        {
            ["name"] = names.Version,
            ["served"] = true,
            ["storage"] = true,
            ["subresources"] = Subresources(resourceType),
        };
        JsonArray columns = PrinterColumns(resourceType);
        if (columns.Count > 0)
        {
            version["additionalPrinterColumns"] = columns;
        }

        version["schema"] = new JsonObject { ["openAPIV3Schema"] = RootSchema(resourceType, names) };
        return version;
    }

    private static JsonObject Subresources(Type resourceType)
    {
        var subresources = new JsonObject();
        if (resourceType.GetProperty("Status") is not null)
        {
            subresources["status"] = new JsonObject();
        }

        if (resourceType.GetCustomAttribute<ScaleSubresourceAttribute>() is { } scale)
        {
            subresources["scale"] = new JsonObject
            {
                ["specReplicasPath"] = scale.SpecReplicasPath,
                ["statusReplicasPath"] = scale.StatusReplicasPath,
                ["labelSelectorPath"] = scale.LabelSelectorPath,
            };
        }

        return subresources;
    }

    private static JsonArray PrinterColumns(Type resourceType)
    {
        var columns = new JsonArray();
        foreach (PrinterColumnAttribute column in resourceType.GetCustomAttributes<PrinterColumnAttribute>().OrderBy(c => c.Order))
        {
            var node = new JsonObject { ["name"] = column.Name, ["type"] = column.Type, ["jsonPath"] = column.JsonPath };
            if (column.Description is { } description)
            {
                node["description"] = description;
            }

            if (column.Priority != 0)
            {
                node["priority"] = column.Priority;
            }

            columns.Add(node);
        }

        return columns;
    }

    private static JsonObject RootSchema(Type resourceType, CustomResourceAttribute names)
    {
        // apiVersion, kind and metadata are the API server's; the schema only names them.
        JsonObject schema = SchemaGenerator.ForClass(resourceType, SchemaGenerator.JsonProperties(resourceType, declaredOnly: true));
        var properties = (JsonObject)schema["properties"]!;
        schema["properties"] = null;
        var all = new JsonObject
        {
            ["apiVersion"] = new JsonObject { ["description"] = $"The versioned schema of this object: {names.Group}/{names.Version}.", ["type"] = "string" },
            ["kind"] = new JsonObject { ["description"] = $"The kind of this object: {names.Kind}.", ["type"] = "string" },
            ["metadata"] = new JsonObject { ["type"] = "object" },
        };
        foreach ((string key, JsonNode? value) in properties.ToList())
        {
            properties.Remove(key);
            all[key] = value;
        }

        schema["properties"] = all;

        // A KvCluster's name names its Services and pods, which Kubernetes constrains further than object names.
        JsonArray rules = schema["x-kubernetes-validations"]?.AsArray() ?? [];
        schema.Remove("x-kubernetes-validations");
        rules.Insert(0, new JsonObject { ["rule"] = ObjectNames.ClusterNameRule, ["message"] = ObjectNames.ClusterNameMessage });
        schema["x-kubernetes-validations"] = rules;
        return schema;
    }

    private static CustomResourceAttribute Names(Type resourceType)
    {
        if (!typeof(CustomObject).IsAssignableFrom(resourceType) || resourceType.GetCustomAttribute<CustomResourceAttribute>() is not { } names)
        {
            ThrowHelper.ThrowMissingAttribute(resourceType, "CustomResource");
            return null;
        }

        return names;
    }
}
