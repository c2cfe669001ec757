using k8s;
using KubeCache.Background;
using KubeCache.Configuration;
using KubeCache.Hosting.Options;
using KubeCache.Kubernetes;
using KubeCache.Topology;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KubeCache.Hosting;

/// <summary>
/// Where a server process learns the ring: the ring ConfigMap watched through the Kubernetes API
/// (--ring-configmap), or --ring-file (a mounted ConfigMap, or any file kept up to date). The
/// Kubernetes connection is made at start-up, so a missing kubeconfig stops the process with a
/// message naming the flag instead of failing later in the background.
/// </summary>
public static class RingSources
{
    /// <summary>Registers the <see cref="IRingSource"/> the options name; returns false when they name none.</summary>
    /// <param name="services">The process's services.</param>
    /// <param name="options">Validated options: --ring-configmap, --namespace or --ring-file.</param>
    /// <param name="kubernetes">The API connection for --ring-configmap; null loads it with <see cref="KubernetesConnection.Load"/>.</param>
    public static bool AddRingSource(this IServiceCollection services, ServerOptions options, KubernetesClientConfiguration? kubernetes)
    {
        if (options.RingConfigMap is { } configMap)
        {
            KubernetesClientConfiguration config = kubernetes ?? LoadConfig();
            string ns = options.Namespace ?? DefaultNamespace();
            // Made by a factory so the host disposes it.
            services.AddSingleton(_ => KubernetesConnection.Create(config));
            services.AddSingleton<IRingSource>(s =>
            {
                var watcher = new ConfigMapKeyWatcher(s.GetRequiredService<IKubernetes>(), ns, configMap, RingDocument.ConfigMapKey);
                ILogger logger = Logger(s);
                watcher.Error += e => Log.RingWatchFailed(logger, watcher.Description, e.Message);
                return new RingStreamFollower(watcher.Description, watcher.WatchAsync);
            });
            return true;
        }

        if (options.RingFile is { } path)
        {
            services.AddSingleton<IRingSource>(new RingFileFollower(path, options.RingPollInterval));
            return true;
        }

        return false;
    }

    /// <summary>
    /// Runs <paramref name="source"/> until <paramref name="stopping"/>: each document it reads goes
    /// to <paramref name="apply"/>, each it rejects is logged (the last good ring stays), and a
    /// failing source is restarted by <see cref="BackgroundErrors.SuperviseAsync"/>.
    /// </summary>
    public static Task FollowAsync(IRingSource source, Action<RingDocument> apply, BackgroundErrors errors, ILogger logger, CancellationToken stopping)
    {
        source.Changed += errors.Guard("ring", apply);
        source.Rejected += problem => Log.RingRejected(logger, source.Description, problem);
        return errors.SuperviseAsync("ring-source", source.RunAsync, stopping);
    }

    /// <summary>The pod's namespace (service-account file), else <c>default</c>.</summary>
    public static string DefaultNamespace() => KubernetesConnection.ServiceAccountNamespace() ?? "default";

    private static ILogger Logger(IServiceProvider services) => services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RingSources).FullName!);

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
