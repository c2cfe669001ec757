namespace KubeCache.Topology;

/// <summary>
/// Follows a ring document kept in a file (a mounted ConfigMap, or the file local mode writes).
/// The file is polled rather than watched: ConfigMap volumes swap a symlink, which file watchers
/// miss. A document that fails to parse, or carries an older epoch, is reported and ignored.
/// </summary>
public sealed class RingFileFollower(string path, TimeSpan interval) : IRingSource
{
    private readonly RingDocumentTracker _tracker = new();

    public string Path { get; } = path;

    public string Description => "ring file " + Path;

    /// <summary>The newest valid document read so far, or null.</summary>
    public RingDocument? Current => _tracker.Current;

    /// <summary>Raised with each document whose epoch is newer (or whose content changed at the same epoch).</summary>
    public event Action<RingDocument>? Changed
    {
        add => _tracker.Changed += value;
        remove => _tracker.Changed -= value;
    }

    /// <summary>Raised with the reason when the file holds a document that cannot be used.</summary>
    public event Action<string>? Rejected
    {
        add => _tracker.Rejected += value;
        remove => _tracker.Rejected -= value;
    }

    /// <summary>Reads the file now; returns whether a new document was taken.</summary>
    public bool Refresh()
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }

        return _tracker.Offer(bytes);
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            do
            {
                Refresh();
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
