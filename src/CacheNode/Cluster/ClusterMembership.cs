using KubeCache.Background;
using KubeCache.CacheNode.Options;
using KubeCache.Topology;

namespace KubeCache.CacheNode.Cluster;

/// <summary>
/// Where the node learns the ring: a ring source (the ring file, or the ring ConfigMap through
/// the Kubernetes API; see <see cref="NodeRingSources"/>), or none, and then the node runs alone
/// and owns every key. Each new document goes to the <see cref="HandoffService"/>, whichever
/// source it came from.
/// </summary>
public sealed class ClusterMembership(
    NodeOptions options, IRingSource? source, HandoffService handoff, BackgroundErrors errors, ILogger<ClusterMembership> logger) : BackgroundService
{
    public string NodeName => options.NodeName;

    /// <summary>The ring document in use, or null when the node runs alone or has not read one yet.</summary>
    public RingDocument? Current => source?.Current;

    /// <summary>True while a handoff runs or waits to start; see <see cref="HandoffService.InProgress"/>.</summary>
    public bool HandoffInProgress => handoff.InProgress;

    /// <summary>The ring source, or null when the node runs alone.</summary>
    public IRingSource? Source => source;

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (source is null)
        {
            return Task.CompletedTask;
        }

        source.Changed += errors.Guard<RingDocument>("ring", handoff.OnRingChanged);
        source.Rejected += problem => Log.RingRejected(logger, source.Description, problem);
        return errors.SuperviseAsync("ring-source", source.RunAsync, stoppingToken);
    }
}
