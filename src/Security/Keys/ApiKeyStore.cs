using System.Security.Cryptography;
using System.Text;
using KubeCache.Background;
using KubeCache.Configuration;
using Microsoft.Extensions.Logging;

namespace KubeCache.Security.Keys;

/// <summary>
/// The API keys accepted now: read from --auth-keys-file and re-read every poll interval. The
/// file's content is compared, not its time stamp, because a Kubernetes Secret volume replaces
/// the file by swapping a symlink, which keeps old time stamps and which file watchers miss.
/// A version that cannot be read or lists no key is ignored (the previous keys stay), so a
/// half-written file never locks every client out.
/// </summary>
public sealed class ApiKeyStore : IDisposable
{
    private readonly string? _path;
    private readonly ILogger _logger;
    private readonly BackgroundErrors _errors;
    private readonly Timer? _poll;
    private volatile ApiKeyFile? _current;

    /// <exception cref="OptionException">The file cannot be read or lists no key.</exception>
    public ApiKeyStore(string? path, TimeSpan pollInterval, ILogger logger, BackgroundErrors? errors = null)
    {
        _errors = errors ?? BackgroundErrors.Unobserved;
        _path = path;
        _logger = logger;
        if (path is null)
        {
            Log.AuthOff(logger);
            return;
        }

        _current = Load(path, out string? problem) ?? throw new OptionException("--auth-keys-file", problem!);
        Log.AuthOn(logger, path, _current.Hashes.Length);
        _poll = new Timer(static s => ((ApiKeyStore)s!).ReloadOnTimer(), this, pollInterval, pollInterval);
    }

    /// <summary>True when a keys file is configured: every request then needs a key.</summary>
    public bool Enabled => _path is not null;

    /// <summary>How many keys are accepted now.</summary>
    public int Count => _current?.Hashes.Length ?? 0;

    /// <summary>The key this process presents when it connects to nodes (the file's first), or null when authentication is off.</summary>
    public string? PeerKey => _current?.FirstKey;

    /// <summary>Whether <paramref name="presented"/> is one of the keys, compared in constant time over SHA-256 hashes, so neither content nor length leaks.</summary>
    public bool Verify(ReadOnlySpan<byte> presented)
    {
        ApiKeyFile? keys = _current;
        if (keys is null)
        {
            return false;
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(presented, hash);
        bool match = false;
        foreach (byte[] known in keys.Hashes)
        {
            // No early exit: the time taken does not say which key matched.
            match |= CryptographicOperations.FixedTimeEquals(known, hash);
        }

        return match;
    }

    public bool Verify(string presented) => Verify(Encoding.UTF8.GetBytes(presented));

    /// <summary>Reads the file again; returns true when the accepted keys changed.</summary>
    public bool Reload()
    {
        if (_path is null)
        {
            return false;
        }

        ApiKeyFile? loaded = Load(_path, out string? problem);
        if (loaded is null)
        {
            Log.KeysRejected(_logger, problem!);
            return false;
        }

        if (_current is { } current && CryptographicOperations.FixedTimeEquals(current.ContentHash, loaded.ContentHash))
        {
            return false;
        }

        _current = loaded;
        Log.KeysReloaded(_logger, _path, loaded.Hashes.Length);
        return true;
    }

    public void Dispose() => _poll?.Dispose();

    private void ReloadOnTimer() => _errors.Run("api-keys-reload", () => Reload());

    private static ApiKeyFile? Load(string path, out string? problem)
    {
        try
        {
            ApiKeyFile file = ApiKeyFile.Parse(File.ReadAllBytes(path));
            problem = file.Hashes.Length == 0 ? $"{path} lists no key (one key per line; lines starting with # are comments)." : null;
            return problem is null ? file : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = $"cannot read {path}: {e.Message}";
            return null;
        }
    }
}
