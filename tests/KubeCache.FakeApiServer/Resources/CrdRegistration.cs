using System.Text.Json.Nodes;
using KubeCache.FakeApiServer.Errors;
using KubeCache.FakeApiServer.Json;

namespace KubeCache.FakeApiServer.Resources;

/// <summary>Turns a CustomResourceDefinition into the resources it serves, and validates it.</summary>
internal static class CrdRegistration
{
    /// <summary>The served versions of <paramref name="crd"/>; throws 422 when the CRD is malformed.</summary>
    public static IReadOnlyList<ResourceType> Parse(ResourceType crdType, JsonObject crd)
    {
        var name = crd.Str("metadata", "name") ?? "";
        var spec = crd["spec"] as JsonObject;
        var errors = new List<FieldError>();
        var group = spec.Str("group") ?? "";
        var names = spec?["names"] as JsonObject;
        var plural = names.Str("plural") ?? "";
        var kind = names.Str("kind") ?? "";
        if (group.Length == 0) errors.Add(FieldError.Required("spec.group"));
        if (plural.Length == 0) errors.Add(FieldError.Required("spec.names.plural"));
        if (kind.Length == 0) errors.Add(FieldError.Required("spec.names.kind"));
        if (errors.Count == 0 && name != $"{plural}.{group}")
        {
            errors.Add(FieldError.Invalid("metadata.name", Quote(name), $"must be spec.names.plural+\".\"+spec.group"));
        }
        var scope = spec.Str("scope");
        if (scope is not "Namespaced" and not "Cluster")
        {
            errors.Add(FieldError.NotSupported("spec.scope", Quote(scope ?? ""), ["\"Cluster\"", "\"Namespaced\""]));
        }
        var versions = spec?["versions"] as JsonArray ?? [];
        if (versions.Count == 0) errors.Add(FieldError.Invalid("spec.versions", "null", "must have exactly one version marked as storage version"));
        if (versions.Count(v => v?["storage"]?.GetValueKind() == System.Text.Json.JsonValueKind.True) != 1 && versions.Count > 0)
        {
            errors.Add(FieldError.Invalid("spec.versions", "[]", "must have exactly one version marked as storage version"));
        }
        if (errors.Count > 0)
        {
            throw ApiErrors.Invalid(crdType, name, errors);
        }

        var result = new List<ResourceType>();
        foreach (var v in versions.OfType<JsonObject>())
        {
            if (v["served"]?.GetValueKind() == System.Text.Json.JsonValueKind.False)
            {
                continue;
            }
            var sub = v["subresources"] as JsonObject;
            var scale = sub?["scale"] as JsonObject;
            result.Add(new ResourceType
            {
                Group = group,
                Version = v.Str("name") ?? "",
                Plural = plural,
                Singular = names.Str("singular") ?? kind.ToLowerInvariant(),
                Kind = kind,
                Namespaced = scope == "Namespaced",
                ShortNames = Strings(names?["shortNames"]),
                Categories = Strings(names?["categories"]),
                HasStatus = sub?["status"] is not null,
                Scale = scale is null ? null : new ScaleSubresource(
                    scale.Str("specReplicasPath") ?? ".spec.replicas",
                    scale.Str("statusReplicasPath") ?? ".status.replicas",
                    scale.Str("labelSelectorPath")),
                HasGeneration = true,
                IsCustom = true,
                Columns = Columns(v["additionalPrinterColumns"] as JsonArray),
                Schema = v["schema"]?["openAPIV3Schema"]?.DeepClone() as JsonObject,
                StorageVersion = v["storage"]?.GetValueKind() == System.Text.Json.JsonValueKind.True,
            });
        }
        return result;
    }

    /// <summary>The status a real apiserver reports once a CRD's names are accepted.</summary>
    public static JsonObject EstablishedStatus(JsonObject crd, string now)
    {
        var spec = crd["spec"] as JsonObject;
        var storage = (spec?["versions"] as JsonArray ?? []).OfType<JsonObject>()
            .FirstOrDefault(v => v["storage"]?.GetValueKind() == System.Text.Json.JsonValueKind.True).Str("name");
        return new JsonObject
        {
            ["acceptedNames"] = spec?["names"]?.DeepClone(),
            ["conditions"] = new JsonArray(
                Condition("NamesAccepted", "NoConflicts", "no conflicts found", now),
                Condition("Established", "InitialNamesAccepted", "the initial names have been accepted", now)),
            ["storedVersions"] = new JsonArray(storage is null ? null : JsonValue.Create(storage)),
        };
    }

    private static JsonObject Condition(string type, string reason, string message, string now) => new()
    {
        ["type"] = type,
        ["status"] = "True",
        ["lastTransitionTime"] = now,
        ["reason"] = reason,
        ["message"] = message,
    };

    private static List<PrinterColumn> Columns(JsonArray? columns) =>
        columns is null
            ? []
            : [.. columns.OfType<JsonObject>().Select(c => new PrinterColumn(
                c.Str("name") ?? "",
                c.Str("type") ?? "string",
                c.Str("format"),
                c.Str("jsonPath") ?? "",
                c.Str("description") ?? "",
                c["priority"] is JsonValue p && p.TryGetValue<int>(out var prio) ? prio : 0))];

    private static string[] Strings(JsonNode? node) =>
        node is JsonArray a ? [.. a.Select(x => x?.GetValue<string>() ?? "")] : [];

    private static string Quote(string s) => "\"" + s + "\"";
}
