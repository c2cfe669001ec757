using KubeCache.CacheNode.Options;
using KubeCache.Topology;

namespace KubeCache.CacheNode.Cluster;

/// <summary>
/// Where the node learns the ring: from <c>--ring-file</c> when given (a Kubernetes ConfigMap
/// source plugs in here later), otherwise the node runs alone and owns every key. Each new
/// document goes to the <see cref="HandoffService"/>.
/// </summary>
public sealed class ClusterMembership(NodeOptions options, HandoffService handoff, ILogger<ClusterMembership> logger) : BackgroundService
{
    private readonly RingFileFollower? _source = options.RingFile is { } path ? new RingFileFollower(path, options.RingPollInterval) : null;

    public string NodeName => options.NodeName;

    /// <summary>The ring document in use, or null when the node runs alone.</summary>
    public RingDocument? Current => _source?.Current;

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_source is null)
        {
            return Task.CompletedTask;
        }

        _source.Changed += handoff.OnRingChanged;
        _source.Rejected += problem => Log.RingRejected(logger, _source.Path, problem);
        return _source.RunAsync(stoppingToken);
    }
}
