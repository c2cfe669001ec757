using System.Text.Json.Nodes;
using KubeCache.FakeApiServer.Resources;

namespace KubeCache.FakeApiServer.OpenApi;

/// <summary>The path items of one resource: item operations with the query parameters the server honours.</summary>
internal static class OpenApiPaths
{
    private static readonly string[] PatchParameters = ["dryRun", "fieldManager", "fieldValidation", "force"];
    private static readonly string[] WriteParameters = ["dryRun", "fieldManager", "fieldValidation"];

    public static void Add(JsonObject paths, ResourceType t, string schemaRef)
    {
        var root = t.Group.Length == 0 ? $"/api/{t.Version}" : $"/apis/{t.Group}/{t.Version}";
        var collection = t.Namespaced ? $"{root}/namespaces/{{namespace}}/{t.Plural}" : $"{root}/{t.Plural}";
        paths[collection] = new JsonObject
        {
            ["get"] = Operation(t, "list", [], schemaRef),
            ["post"] = Operation(t, "post", WriteParameters, schemaRef),
        };
        paths[collection + "/{name}"] = new JsonObject
        {
            ["get"] = Operation(t, "get", [], schemaRef),
            ["put"] = Operation(t, "put", WriteParameters, schemaRef),
            ["patch"] = Operation(t, "patch", PatchParameters, schemaRef),
            ["delete"] = Operation(t, "delete", ["dryRun"], schemaRef),
        };
    }

    private static JsonObject Operation(ResourceType t, string action, string[] query, string schemaRef)
    {
        var parameters = new JsonArray();
        foreach (var name in query)
        {
            parameters.Add(new JsonObject { ["name"] = name, ["in"] = "query", ["schema"] = new JsonObject { ["type"] = name == "force" ? "boolean" : "string" }, ["type"] = name == "force" ? "boolean" : "string" });
        }
        return new JsonObject
        {
            ["operationId"] = action + t.Kind,
            ["parameters"] = parameters,
            ["responses"] = new JsonObject
            {
                ["200"] = new JsonObject
                {
                    ["description"] = "OK",
                    ["schema"] = new JsonObject { ["$ref"] = schemaRef },
                },
            },
            ["x-kubernetes-action"] = action,
            ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = t.Group, ["kind"] = t.Kind, ["version"] = t.Version },
        };
    }
}
