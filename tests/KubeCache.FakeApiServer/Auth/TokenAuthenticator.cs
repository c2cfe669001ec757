using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace KubeCache.FakeApiServer.Auth;

/// <summary>
/// Bearer tokens and the users they stand for: the administrator's token, and one token per
/// service account, which a test may rotate (the old one is refused at once, as after a
/// projected token's expiry).
/// </summary>
internal sealed class TokenAuthenticator
{
    private readonly ConcurrentDictionary<string, UserInfo> _users = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _serviceAccountTokens = new(StringComparer.Ordinal);
    private readonly Lock _issue = new();

    public TokenAuthenticator(string? adminToken, bool required)
    {
        Required = required;
        AdminToken = adminToken ?? (required ? NewToken() : null);
        if (AdminToken is not null)
        {
            _users[AdminToken] = UserInfo.Admin;
        }
    }

    /// <summary>Whether a request without a known token is refused (401); otherwise it acts as the administrator.</summary>
    public bool Required { get; }

    /// <summary>The administrator's token, or null when tokens are not checked.</summary>
    public string? AdminToken { get; }

    /// <summary>The user of <paramref name="authorization"/> (an <c>Authorization</c> header value), or null when unknown.</summary>
    public UserInfo? Authenticate(string authorization)
    {
        const string Bearer = "Bearer ";
        if (authorization.StartsWith(Bearer, StringComparison.Ordinal) && _users.TryGetValue(authorization[Bearer.Length..], out var user))
        {
            return user;
        }
        return Required ? null : UserInfo.Admin;
    }

    /// <summary>The current token of a service account, issued on first use.</summary>
    public string ServiceAccountToken(string ns, string name)
    {
        lock (_issue)
        {
            var key = ns + "/" + name;
            if (!_serviceAccountTokens.TryGetValue(key, out var token))
            {
                token = NewToken();
                _users[token] = UserInfo.ServiceAccount(ns, name);
                _serviceAccountTokens[key] = token;
            }
            return token;
        }
    }

    /// <summary>Replaces a service account's token; the old one authenticates no more.</summary>
    public string Rotate(string ns, string name)
    {
        lock (_issue)
        {
            var old = ServiceAccountToken(ns, name);
            _users.TryRemove(old, out _);
            _serviceAccountTokens.TryRemove(ns + "/" + name, out _);
            return ServiceAccountToken(ns, name);
        }
    }

    private static string NewToken() => Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
}
