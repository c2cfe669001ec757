namespace KubeCache.Topology;

/// <summary>
/// Where a node or router learns the ring document: a file (<see cref="RingFileFollower"/>) or a
/// stream of documents such as a watched ConfigMap key (<see cref="RingStreamFollower"/>). Both
/// apply the same rules: a document that does not parse, or has an older epoch than the one in
/// use, is reported through <see cref="Rejected"/> and the last good document stays.
/// </summary>
public interface IRingSource
{
    /// <summary>Names the source for messages, e.g. <c>ring file /etc/ring.json</c>.</summary>
    string Description { get; }

    /// <summary>The newest valid document so far, or null.</summary>
    RingDocument? Current { get; }

    /// <summary>Raised with each document whose epoch is newer (or whose content changed at the same epoch).</summary>
    event Action<RingDocument>? Changed;

    /// <summary>Raised with the reason when the source holds a document that cannot be used.</summary>
    event Action<string>? Rejected;

    /// <summary>Follows the source until <paramref name="cancellationToken"/> fires; returns then without throwing.</summary>
    Task RunAsync(CancellationToken cancellationToken);
}
