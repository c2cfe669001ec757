using KubeCache.Router.Options;
using KubeCache.Router.Routing;
using KubeCache.Topology;

namespace KubeCache.Router.Hosting;

/// <summary>Feeds the route table from <c>--ring-file</c> (a mounted ConfigMap, or any file kept up to date).</summary>
internal sealed class RingFileMembership(RouterOptions options, RouteTable table, ILogger<RingFileMembership> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var follower = new RingFileFollower(options.RingFile!, options.RingPollInterval);
        follower.Changed += table.Apply;
        follower.Rejected += problem => Log.RingRejected(logger, follower.Path, problem);
        return follower.RunAsync(stoppingToken);
    }
}
