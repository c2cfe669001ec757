using KubeCache.Configuration;
using KubeCache.Router.Options;

namespace KubeCache.Local;

/// <summary>
/// Local mode: a router's options plus the nodes it starts on this machine. Each default lives
/// here once, with its unit; <see cref="LocalOptionTable"/> maps the flags onto these properties.
/// </summary>
public sealed class LocalOptions : RouterOptions
{
    /// <summary>Most local nodes: each is a process with its own heap, so more than this is no longer a laptop's cluster.</summary>
    public const int MaxNodes = 64;

    // Clients reach a local router directly, not through a Service whose endpoints must catch up.
    public LocalOptions() => ShutdownDelay = TimeSpan.Zero;

    /// <summary>How many nodes to start on free loopback ports. Default 3, the smallest cluster that shows a rebalance.</summary>
    public int LocalNodes { get; set; } = 3;

    /// <summary>--max-memory of each local node, in bytes. Default 256 MiB.</summary>
    public long LocalNodeMemoryBytes { get; set; } = 256L << 20;

    /// <summary>
    /// Whether clients on other hosts may use the admin API (which starts and stops processes).
    /// Default false: only loopback clients may, whatever --bind says.
    /// </summary>
    public bool LocalAdminRemote { get; set; }

    /// <summary>How long a rebalance waits for the nodes' handoffs before finishing anyway. Default 10 minutes, as in the operator.</summary>
    public TimeSpan HandoffDeadline { get; set; } = TimeSpan.FromMinutes(10);

    protected override bool ManagesRing => true;

    public override void Validate()
    {
        if (LocalNodes is < 1 or > MaxNodes)
        {
            throw new OptionException("--local-nodes", $"must be between 1 and {MaxNodes} (got {LocalNodes}).");
        }

        if (HandoffDeadline <= TimeSpan.Zero)
        {
            throw new OptionException("--handoff-deadline", "must be positive.");
        }

        base.Validate();
    }
}
