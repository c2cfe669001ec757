using System.Text.Json.Nodes;

namespace KubeCache.EndToEnd.Tests.Cluster;

/// <summary>Small StatefulSets and Deployments of cache nodes (standalone, no ring) for the simulator's own tests.</summary>
internal static class TestWorkloads
{
    public const string NodeImage = "ghcr.io/kubecache/kvcache-node:0.1.0";

    public static JsonObject StatefulSet(string name, int replicas, string image = NodeImage) => Workload("StatefulSet", name, replicas, image, new JsonObject
    {
        ["serviceName"] = name + "-nodes",
        ["podManagementPolicy"] = "Parallel",
    });

    public static JsonObject Deployment(string name, int replicas, string image = NodeImage) => Workload("Deployment", name, replicas, image, []);

    private static JsonObject Workload(string kind, string name, int replicas, string image, JsonObject spec)
    {
        spec["replicas"] = replicas;
        spec["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } };
        spec["template"] = new JsonObject
        {
            ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = name } },
            ["spec"] = new JsonObject
            {
                ["terminationGracePeriodSeconds"] = 20,
                ["containers"] = new JsonArray(new JsonObject
                {
                    ["name"] = "node",
                    ["image"] = image,
                    ["args"] = new JsonArray("--max-memory", "32mb"),
                    ["ports"] = new JsonArray(
                        new JsonObject { ["name"] = "http", ["containerPort"] = 7171 },
                        new JsonObject { ["name"] = "resp", ["containerPort"] = 6379 }),
                    ["env"] = new JsonArray(new JsonObject
                    {
                        ["name"] = "KVCACHE_NODE_NAME",
                        ["valueFrom"] = new JsonObject { ["fieldRef"] = new JsonObject { ["fieldPath"] = "metadata.name" } },
                    }),
                    ["readinessProbe"] = new JsonObject { ["httpGet"] = new JsonObject { ["path"] = "/readyz", ["port"] = "http" } },
                    ["lifecycle"] = new JsonObject { ["preStop"] = new JsonObject { ["httpGet"] = new JsonObject { ["path"] = "/healthz", ["port"] = "http" } } },
                }),
            },
        };
        return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = kind,
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
            ["spec"] = spec,
        };
    }
}
