using k8s;
using KubeCache.Background;
using KubeCache.CacheNode.Options;
using KubeCache.Hosting;
using KubeCache.Topology;

namespace KubeCache.CacheNode.Cluster;

/// <summary>Registers the node's ring source (if its options name one) and <see cref="ClusterMembership"/>, which follows it.</summary>
public static class NodeRingSources
{
    /// <param name="services">The node's services.</param>
    /// <param name="options">Validated options: --ring-configmap, --namespace or --ring-file.</param>
    /// <param name="kubernetes">The API connection for --ring-configmap; null loads it at start-up.</param>
    public static IServiceCollection AddClusterMembership(this IServiceCollection services, NodeOptions options, KubernetesClientConfiguration? kubernetes)
    {
        services.AddRingSource(options, kubernetes);
        services.AddSingleton(s => new ClusterMembership(
            options, s.GetService<IRingSource>(), s.GetRequiredService<HandoffService>(), s.GetRequiredService<NodeRing>(), s.GetRequiredService<BackgroundErrors>(),
            s.GetRequiredService<ILogger<ClusterMembership>>()));
        services.AddHostedService(s => s.GetRequiredService<ClusterMembership>());
        return services;
    }
}
