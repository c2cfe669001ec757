using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using KubeCache.Operator.Resources;

namespace KubeCache.Operator.Tests.Support;

/// <summary>KvClusters as the API server returns them, and JSON views of built objects.</summary>
internal static class TestClusters
{
    public const string Uid = "6f1c2a9e-0000-4000-8000-000000000001";

    /// <summary>KvCluster demo in namespace ns with an empty spec (every default).</summary>
    public static KvCluster Demo(Action<KvClusterSpec>? configure = null)
    {
        var cluster = new KvCluster
        {
            Metadata = new V1ObjectMeta { Name = "demo", NamespaceProperty = "ns", Uid = Uid, Generation = 1 },
        };
        configure?.Invoke(cluster.Spec);
        return cluster;
    }

    /// <summary>The object as the JSON the apply request carries.</summary>
    public static JsonObject Json<T>(T value) => JsonNode.Parse(KubernetesJson.Serialize(value))!.AsObject();

    /// <summary>The string at a JSON path like "spec.template.spec.containers[0].name".</summary>
    public static JsonNode? At(JsonNode root, string path)
    {
        JsonNode? node = root;
        foreach (string part in path.Split('.'))
        {
            int bracket = part.IndexOf('[', StringComparison.Ordinal);
            string name = bracket < 0 ? part : part[..bracket];
            node = node?[name];
            if (bracket >= 0)
            {
                node = node?[int.Parse(part[(bracket + 1)..^1], System.Globalization.CultureInfo.InvariantCulture)];
            }
        }

        return node;
    }
}
