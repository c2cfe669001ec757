using k8s;
using KubeCache.Background;
using KubeCache.CacheNode.Options;
using KubeCache.Configuration;
using KubeCache.Kubernetes;
using KubeCache.Topology;

namespace KubeCache.CacheNode.Cluster;

/// <summary>
/// Builds the node's ring source from its options and registers the membership services. The
/// Kubernetes connection is made here, at start-up, so a missing kubeconfig stops the node with
/// a message naming the flag instead of failing later in the background.
/// </summary>
public static class NodeRingSources
{
    /// <summary>The key of the ring ConfigMap that holds the ring document (DESIGN §3).</summary>
    public const string RingKey = "ring.json";

    /// <summary>Registers the ring source the options name (if any) and <see cref="ClusterMembership"/>.</summary>
    /// <param name="services">The node's services.</param>
    /// <param name="options">Validated options: --ring-configmap, --namespace or --ring-file.</param>
    /// <param name="kubernetes">The API connection for --ring-configmap; null loads it with <see cref="KubernetesConnection.Load"/>.</param>
    public static IServiceCollection AddClusterMembership(this IServiceCollection services, NodeOptions options, KubernetesClientConfiguration? kubernetes)
    {
        if (options.RingConfigMap is { } configMap)
        {
            KubernetesClientConfiguration config = kubernetes ?? LoadConfig();
            string ns = options.Namespace ?? DefaultNamespace();
            // Made by a factory so the host disposes it.
            services.AddSingleton(_ => KubernetesConnection.Create(config));
            services.AddSingleton(s => Watch(s.GetRequiredService<IKubernetes>(), ns, configMap, s.GetRequiredService<ILogger<ClusterMembership>>()));
        }
        else if (options.RingFile is { } path)
        {
            services.AddSingleton<IRingSource>(new RingFileFollower(path, options.RingPollInterval));
        }

        services.AddSingleton(s => new ClusterMembership(
            options, s.GetService<IRingSource>(), s.GetRequiredService<HandoffService>(), s.GetRequiredService<BackgroundErrors>(),
            s.GetRequiredService<ILogger<ClusterMembership>>()));
        services.AddHostedService(s => s.GetRequiredService<ClusterMembership>());
        return services;
    }

    /// <summary>The pod's namespace (service-account file), else <c>default</c>.</summary>
    public static string DefaultNamespace() => KubernetesConnection.ServiceAccountNamespace() ?? "default";

    private static IRingSource Watch(IKubernetes client, string ns, string configMap, ILogger logger)
    {
        var watcher = new ConfigMapKeyWatcher(client, ns, configMap, RingKey);
        watcher.Error += e => Log.RingWatchFailed(logger, watcher.Description, e.Message);
        return new RingStreamFollower(watcher.Description, watcher.WatchAsync);
    }

    private static KubernetesClientConfiguration LoadConfig()
    {
        try
        {
            return KubernetesConnection.Load();
        }
        catch (KubernetesConfigurationException e)
        {
            throw new OptionException("--ring-configmap", "needs the Kubernetes API, but its configuration cannot be loaded: " + e.Message);
        }
    }
}
