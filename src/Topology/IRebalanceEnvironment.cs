namespace KubeCache.Topology;

/// <summary>
/// The I/O the <see cref="RebalanceCoordinator"/> needs: the ring ConfigMap in Kubernetes, a
/// ring file and in-process nodes in local mode, a fake in tests.
/// </summary>
public interface IRebalanceEnvironment
{
    /// <summary>The published ring document, or null when none has been published yet.</summary>
    Task<RingDocument?> ReadRingAsync(CancellationToken cancellationToken);

    /// <summary>Publishes <paramref name="document"/>, replacing the current one.</summary>
    Task PublishRingAsync(RingDocument document, CancellationToken cancellationToken);

    /// <summary>The member's handoff status, or null when it cannot be reached.</summary>
    Task<HandoffStatus?> GetHandoffStatusAsync(RingMember member, CancellationToken cancellationToken);
}
