using System.Diagnostics.Metrics;
using System.Net;

namespace KubeCache.Security.Keys;

/// <summary>The outcome of one authentication attempt.</summary>
public enum AuthResult
{
    /// <summary>The key is valid.</summary>
    Accepted,

    /// <summary>The key is missing or wrong.</summary>
    Rejected,

    /// <summary>The client address has failed too often in the current window; the key was not looked at.</summary>
    Limited,
}

/// <summary>
/// Checks a presented key for either protocol: the failure limit first, then the key; failures
/// are counted in <c>kvcache_auth_failures_total{protocol}</c> on the process's meter.
/// </summary>
public sealed class ApiKeyAuthenticator
{
    private readonly ApiKeyStore _keys;
    private readonly AuthFailureLimiter _limiter;
    private readonly Counter<long>? _failures;

    /// <param name="keys">The accepted keys.</param>
    /// <param name="limiter">Failures per client address.</param>
    /// <param name="meter">The process's meter (node or router), so the counter is exported with its other series; null counts nothing.</param>
    public ApiKeyAuthenticator(ApiKeyStore keys, AuthFailureLimiter limiter, Meter? meter)
    {
        _keys = keys;
        _limiter = limiter;
        _failures = meter?.CreateCounter<long>("kvcache.auth.failures", "{attempt}", "Failed authentications (missing, wrong or rate-limited key) by protocol.");
    }

    /// <summary>True when a keys file is configured.</summary>
    public bool Enabled => _keys.Enabled;

    /// <summary>How long a limited address waits.</summary>
    public TimeSpan LimitWindow => _limiter.WindowLength;

    /// <param name="presented">The key as sent; empty when none was sent.</param>
    /// <param name="remote">The client's address, which the failure limit is kept for.</param>
    /// <param name="protocol"><c>http</c> or <c>resp</c>, the metric's label.</param>
    public AuthResult Check(ReadOnlySpan<byte> presented, IPAddress? remote, string protocol)
    {
        if (_limiter.IsLimited(remote))
        {
            Fail(protocol);
            return AuthResult.Limited;
        }

        if (!presented.IsEmpty && _keys.Verify(presented))
        {
            return AuthResult.Accepted;
        }

        Fail(protocol);
        return _limiter.RecordFailure(remote) ? AuthResult.Limited : AuthResult.Rejected;
    }

    private void Fail(string protocol) => _failures?.Add(1, new KeyValuePair<string, object?>("protocol", protocol));
}
