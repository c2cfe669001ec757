namespace KubeCache.Topology;

/// <summary>
/// Follows a ring document kept in a file (a mounted ConfigMap, or the file local mode writes).
/// The file is polled rather than watched: ConfigMap volumes swap a symlink, which file watchers
/// miss. A document that fails to parse, or carries an older epoch, is reported and ignored.
/// </summary>
public sealed class RingFileFollower(string path, TimeSpan interval) : RingSource
{
    public string Path { get; } = path;

    public override string Description => "ring file " + Path;

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

        return Offer(bytes);
    }

    public override async Task RunAsync(CancellationToken cancellationToken)
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
