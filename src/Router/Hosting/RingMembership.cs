using k8s;
using KubeCache.Background;
using KubeCache.Hosting;
using KubeCache.Router.Options;
using KubeCache.Router.Routing;
using KubeCache.Topology;

namespace KubeCache.Router.Hosting;

/// <summary>Feeds the route table from the ring source the options name (<see cref="RingSources"/>). Local mode feeds the table itself.</summary>
internal sealed class RingMembership(IRingSource source, RouteTable table, BackgroundErrors errors, ILogger<RingMembership> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => RingSources.FollowAsync(source, table.Apply, errors, logger, stoppingToken);

    /// <summary>Registers the ring source and this service when the options name one.</summary>
    /// <param name="services">The router's services.</param>
    /// <param name="options">Validated options.</param>
    /// <param name="kubernetes">The API connection for --ring-configmap; null loads it at start-up.</param>
    public static void Register(IServiceCollection services, RouterOptions options, KubernetesClientConfiguration? kubernetes)
    {
        if (services.AddRingSource(options, kubernetes))
        {
            services.AddHostedService<RingMembership>();
        }
    }
}
