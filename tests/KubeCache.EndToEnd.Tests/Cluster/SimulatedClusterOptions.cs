namespace KubeCache.EndToEnd.Tests.Cluster;

/// <summary>Settings of a <see cref="SimulatedCluster"/>.</summary>
public sealed class SimulatedClusterOptions
{
    /// <summary>Image → dll mapping; default <see cref="ContainerImages.Default"/>.</summary>
    public ContainerImages Images { get; init; } = ContainerImages.Default();

    /// <summary>Period of every pod's readiness probe (default 250 ms; the real specs' 5 s would only slow tests).</summary>
    public TimeSpan ProbeInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Upper bound on a pod's terminationGracePeriodSeconds (default 30 s), so a test's deletion ends in bounded time.</summary>
    public TimeSpan TerminationGraceCap { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the controllers wait for a write before looking again anyway (default 250 ms).</summary>
    public TimeSpan ResyncInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How long a pod that turned not-ready or terminating stays among its Services' endpoints
    /// (default 1 s): on a real cluster the EndpointSlice update and kube-proxy's rules lag the
    /// pod's status by about that much, and a stopping server must keep serving meanwhile.
    /// </summary>
    public TimeSpan EndpointsLag { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Where per-pod logs go; default a new temp directory.</summary>
    public string? LogDirectory { get; init; }
}
