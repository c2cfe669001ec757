namespace KubeCache.Kubernetes.Auth;

/// <summary>
/// A token read from a file (the projected service-account token, a kubeconfig's <c>tokenFile</c>).
/// The kubelet rotates the file, so it is re-read once the cached copy is older than
/// <see cref="RefreshInterval"/> and after a 401, as client-go does.
/// </summary>
internal sealed class TokenFileSource(string path, TimeProvider time) : CredentialSource
{
    /// <summary>How long a read token is used before the file is read again (1 minute, as client-go).</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMinutes(1);

    private readonly Lock _lock = new();
    private Credential? _cached;
    private long _readAt;

    public override ValueTask<Credential> GetAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_cached is null || time.GetElapsedTime(_readAt) >= RefreshInterval)
            {
                _cached = new Credential(Read());
                _readAt = time.GetTimestamp();
            }
            return ValueTask.FromResult(_cached);
        }
    }

    public override void Invalidate(Credential rejected)
    {
        lock (_lock)
        {
            if (ReferenceEquals(_cached, rejected))
            {
                _cached = null;
            }
        }
    }

    private string Read()
    {
        try
        {
            string token = File.ReadAllText(path).Trim();
            return token.Length > 0 ? token : ThrowHelper.ThrowConfiguration<string>($"The token file '{path}' is empty.");
        }
        catch (IOException e)
        {
            return ThrowHelper.ThrowConfiguration<string>($"Cannot read the token file '{path}': {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            return ThrowHelper.ThrowConfiguration<string>($"Cannot read the token file '{path}': {e.Message}", e);
        }
    }
}
