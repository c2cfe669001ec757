using k8s;
using KubeCache.Background;
using KubeCache.Configuration;
using KubeCache.Kubernetes;
using KubeCache.Router.Options;
using KubeCache.Router.Routing;
using KubeCache.Topology;

namespace KubeCache.Router.Hosting;

/// <summary>
/// Feeds the route table from the ring source the options name: the ring ConfigMap watched
/// through the Kubernetes API (<c>--ring-configmap</c>), or <c>--ring-file</c> (a mounted
/// ConfigMap, or any file kept up to date). Local mode feeds the table itself.
/// </summary>
internal sealed class RingMembership(IRingSource source, RouteTable table, BackgroundErrors errors, ILogger<RingMembership> logger) : BackgroundService
{
    /// <summary>The key of the ring ConfigMap that holds the ring document (DESIGN §3).</summary>
    public const string RingKey = "ring.json";

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        source.Changed += errors.Guard<RingDocument>("ring", table.Apply);
        source.Rejected += problem => Log.RingRejected(logger, source.Description, problem);
        return errors.SuperviseAsync("ring-source", source.RunAsync, stoppingToken);
    }

    /// <summary>
    /// Registers the ring source and this service when the options name one. The Kubernetes
    /// configuration is loaded here, at start-up, so a missing kubeconfig stops the router with a
    /// message naming the flag.
    /// </summary>
    /// <param name="services">The router's services.</param>
    /// <param name="options">Validated options.</param>
    /// <param name="kubernetes">The API connection for --ring-configmap; null loads it with <see cref="KubernetesConnection.Load"/>.</param>
    public static void Register(IServiceCollection services, RouterOptions options, KubernetesClientConfiguration? kubernetes)
    {
        if (options.RingConfigMap is { } configMap)
        {
            KubernetesClientConfiguration config = kubernetes ?? LoadConfig();
            string ns = options.Namespace ?? KubernetesConnection.ServiceAccountNamespace() ?? "default";
            // Made by a factory so the host disposes it.
            services.AddSingleton(_ => KubernetesConnection.Create(config));
            services.AddSingleton<IRingSource>(s =>
            {
                var watcher = new ConfigMapKeyWatcher(s.GetRequiredService<IKubernetes>(), ns, configMap, RingKey);
                ILogger logger = s.GetRequiredService<ILogger<RingMembership>>();
                watcher.Error += e => Log.RingWatchFailed(logger, watcher.Description, e.Message);
                return new RingStreamFollower(watcher.Description, watcher.WatchAsync);
            });
        }
        else if (options.RingFile is { } path)
        {
            services.AddSingleton<IRingSource>(new RingFileFollower(path, options.RingPollInterval));
        }
        else
        {
            return;
        }

        services.AddHostedService<RingMembership>();
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
