using System.Text;
using k8s.Models;
using KubeCache.Operator.Resources;
using KubeCache.Topology;

namespace KubeCache.Operator.Builders;

/// <summary>Builds the ring ConfigMap (<c>demo-ring</c>, key <c>ring.json</c>).</summary>
public static class ConfigMapBuilder
{
    /// <summary>
    /// The ConfigMap holding <paramref name="ring"/>, serialised by Topology itself so the
    /// operator, routers and nodes share one definition of ring.json.
    /// </summary>
    /// <exception cref="ArgumentException">The document belongs to another cluster.</exception>
    /// <exception cref="RingFormatException">The document is invalid.</exception>
    public static V1ConfigMap BuildRing(KvCluster cluster, RingDocument ring)
    {
        ArgumentNullException.ThrowIfNull(ring);
        string name = ObjectMetadata.NameOf(cluster);
        if (ring.Cluster != name)
        {
            ThrowHelper.ThrowRingOfOtherCluster(name, ring.Cluster);
        }

        return new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = ObjectMetadata.For(cluster, ObjectNames.RingConfigMap(name), component: null),
            Data = new Dictionary<string, string> { [RingDocument.ConfigMapKey] = Encoding.UTF8.GetString(ring.ToUtf8Json()) },
        };
    }
}
