using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using KubeCache.FakeApiServer.Discovery;
using KubeCache.FakeApiServer.Resources;

namespace KubeCache.FakeApiServer.OpenApi;

/// <summary>
/// OpenAPI documents built from what is registered: /openapi/v3 (an index of group versions),
/// /openapi/v3/{api/v1|apis/g/v} (schemas from CRD structural schemas, open objects for
/// built-in kinds, and paths whose PATCH operations declare fieldValidation so kubectl leaves
/// validation to the server), and /openapi/v2 with the same definitions.
/// </summary>
internal static class OpenApiDocuments
{
    public static JsonObject V3Index(ResourceRegistry registry)
    {
        var paths = new JsonObject();
        foreach (var gv in registry.All.Select(Prefix).Distinct())
        {
            var doc = V3GroupVersion(registry, gv)!;
            var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(doc.ToJsonString())));
            paths[gv] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{gv}?hash={hash}" };
        }
        return new JsonObject { ["paths"] = paths };
    }

    /// <summary>The document of one group version (<c>api/v1</c>, <c>apis/kubecache.io/v1alpha1</c>), or null.</summary>
    public static JsonObject? V3GroupVersion(ResourceRegistry registry, string gv)
    {
        var types = registry.All.Where(t => Prefix(t) == gv).ToList();
        if (types.Count == 0)
        {
            return null;
        }
        var schemas = new JsonObject { [ObjectMetaName] = ObjectMetaSchema() };
        var paths = new JsonObject();
        foreach (var t in types)
        {
            schemas[SchemaName(t)] = TypeSchema(t, "#/components/schemas/");
            OpenApiPaths.Add(paths, t, "#/components/schemas/" + SchemaName(t));
        }
        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = DiscoveryDocuments.GitVersion },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    public static JsonObject V2(ResourceRegistry registry)
    {
        var definitions = new JsonObject { [ObjectMetaName] = ObjectMetaSchema() };
        var paths = new JsonObject();
        foreach (var t in registry.All)
        {
            definitions[SchemaName(t)] = TypeSchema(t, "#/definitions/");
            OpenApiPaths.Add(paths, t, "#/definitions/" + SchemaName(t));
        }
        return new JsonObject
        {
            ["swagger"] = "2.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = DiscoveryDocuments.GitVersion },
            ["paths"] = paths,
            ["definitions"] = definitions,
        };
    }

    private const string ObjectMetaName = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

    private static string Prefix(ResourceType t) => t.Group.Length == 0 ? $"api/{t.Version}" : $"apis/{t.Group}/{t.Version}";

    /// <summary>Schema names as the apiserver forms them: the group reversed (<c>io.kubecache</c>), version, kind.</summary>
    private static string SchemaName(ResourceType t)
    {
        if (!t.IsCustom)
        {
            var group = t.Group.Length == 0 ? "core" : t.Group.Replace(".k8s.io", "", StringComparison.Ordinal).Replace('.', '_');
            return $"io.k8s.api.{group}.{t.Version}.{t.Kind}";
        }
        return $"{string.Join('.', t.Group.Split('.').Reverse())}.{t.Version}.{t.Kind}";
    }

    private static JsonObject TypeSchema(ResourceType t, string refPrefix)
    {
        var schema = t.Schema?.DeepClone() as JsonObject ?? new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true };
        var props = schema["properties"] as JsonObject ?? [];
        schema["properties"] = props;
        props["apiVersion"] = new JsonObject { ["type"] = "string" };
        props["kind"] = new JsonObject { ["type"] = "string" };
        props["metadata"] = new JsonObject { ["allOf"] = new JsonArray(new JsonObject { ["$ref"] = refPrefix + ObjectMetaName }) };
        schema["x-kubernetes-group-version-kind"] = new JsonArray(new JsonObject { ["group"] = t.Group, ["kind"] = t.Kind, ["version"] = t.Version });
        return schema;
    }

    private static JsonObject ObjectMetaSchema() => new()
    {
        ["type"] = "object",
        ["x-kubernetes-preserve-unknown-fields"] = true,
        ["description"] = "ObjectMeta is metadata that all persisted resources must have.",
    };
}
