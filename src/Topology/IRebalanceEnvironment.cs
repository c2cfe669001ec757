namespace KubeCache.Topology;

/// <summary>
/// The I/O the <see cref="RebalanceCoordinator"/> needs: the ring ConfigMap, node and router pods
/// in Kubernetes; a ring file, child nodes and the router itself in local mode; a fake in tests.
/// </summary>
public interface IRebalanceEnvironment
{
    /// <summary>The published ring document, or null when none has been published yet.</summary>
    Task<RingDocument?> ReadRingAsync(CancellationToken cancellationToken);

    /// <summary>Publishes <paramref name="document"/>, replacing the current one.</summary>
    Task PublishRingAsync(RingDocument document, CancellationToken cancellationToken);

    /// <summary>The member's handoff status, or null when it cannot be reached.</summary>
    Task<HandoffStatus?> GetHandoffStatusAsync(RingMember member, CancellationToken cancellationToken);

    /// <summary>The epoch every serving router has applied (null for one that does not answer); empty when there are none.</summary>
    Task<IReadOnlyList<RouterEpoch>> GetRouterEpochsAsync(CancellationToken cancellationToken);
}
