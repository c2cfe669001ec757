using KubeCache.Background;
using KubeCache.CacheNode.Options;
using KubeCache.Hosting;
using KubeCache.Topology;

namespace KubeCache.CacheNode.Cluster;

/// <summary>
/// Where the node learns the ring: a ring source (the ring file, or the ring ConfigMap through
/// the Kubernetes API; see <see cref="RingSources"/>), or none, and then the node runs alone
/// and owns every key. Each document goes to the <see cref="NodeRing"/>, which also takes the
/// documents peers pass on, and each one it takes goes to the <see cref="HandoffService"/>.
/// </summary>
public sealed class ClusterMembership(
    NodeOptions options, IRingSource? source, HandoffService handoff, NodeRing ring, BackgroundErrors errors, ILogger<ClusterMembership> logger)
    : BackgroundService
{
    public string NodeName => options.NodeName;

    /// <summary>The ring document in use, or null when the node runs alone or has not read one yet.</summary>
    public RingDocument? Current => ring.Current;

    /// <summary>Whether the ring document in use lists this node among its members (false when it runs alone).</summary>
    public bool IsMember => ring.Current?.Members.Any(m => m.Name == options.NodeName) == true;

    /// <summary>
    /// Whether the ring document in use takes this node out and is not final yet: a previous
    /// member, not a member now. The coordinator still asks it for its handoff status until it
    /// publishes the final document, so the node must not stop before.
    /// </summary>
    public bool IsLeaving => ring.Current is { Previous: { } previous } current
        && previous.Members.Any(m => m.Name == options.NodeName) && !current.Members.Any(m => m.Name == options.NodeName);

    /// <summary>True while a handoff runs or waits to start; see <see cref="HandoffService.InProgress"/>.</summary>
    public bool HandoffInProgress => handoff.InProgress;

    /// <summary>The ring source, or null when the node runs alone.</summary>
    public IRingSource? Source => source;

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        ring.Changed += handoff.OnRingChanged;
        if (source is null)
        {
            return Task.CompletedTask;
        }

        return RingSources.FollowAsync(source, document => ring.Offer(document, fromPeer: false), errors, logger, stoppingToken);
    }
}
