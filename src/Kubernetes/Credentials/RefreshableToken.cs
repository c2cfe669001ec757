using System.Net.Http.Headers;
using k8s.Authentication;
using k8s.KubeConfigModels;

namespace KubeCache.Kubernetes.Credentials;

/// <summary>
/// A bearer token for KubernetesClient (its <see cref="ITokenProvider"/>) that is fetched again
/// when it is due and, unlike the library's own providers, as soon as the server refuses it
/// (<see cref="Renew"/>, called after a 401): a rotated service-account token file or an exec
/// plugin's token revoked before its expiry is picked up by the next request.
/// </summary>
internal sealed class RefreshableToken : ITokenProvider, IRenewableCredential
{
    /// <summary>How long a token read from a file is used before the file is read again; kubelet rewrites it well before it expires.</summary>
    public static readonly TimeSpan FileRereadPeriod = TimeSpan.FromMinutes(1);

    private readonly Func<(string Token, DateTimeOffset? Expiry)> _fetch;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private string? _token;
    private DateTimeOffset _due;

    private RefreshableToken(Func<(string Token, DateTimeOffset? Expiry)> fetch, TimeProvider time)
    {
        _fetch = fetch;
        _time = time;
    }

    /// <summary>The token in <paramref name="path"/>, read again every <see cref="FileRereadPeriod"/>.</summary>
    public static RefreshableToken FromFile(string path, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        return new RefreshableToken(() => (File.ReadAllText(path).Trim(), time.GetUtcNow() + FileRereadPeriod), time);
    }

    /// <summary>The token an exec plugin prints, run again when its expirationTimestamp is near.</summary>
    public static RefreshableToken FromExec(ExternalExecution exec, TimeProvider? time = null) =>
        new(() =>
        {
            (ExecCredentialResponse.ExecStatus status, DateTimeOffset? due) = ExecPlugin.Run(exec);
            return (status.Token ?? throw ThrowHelper.Configuration($"The exec plugin {exec.Command} printed no token."), due);
        }, time ?? TimeProvider.System);

    public Task<AuthenticationHeaderValue> GetAuthenticationHeaderAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new AuthenticationHeaderValue("Bearer", Current()));

    /// <summary>The token the request's Authorization header carries (KubernetesClient sets it before its handlers run).</summary>
    public object? Presented(HttpRequestMessage request) =>
        request.Headers.Authorization is { Scheme: "Bearer", Parameter: { } token } ? token : null;

    public bool Renew(HttpRequestMessage request, object presented)
    {
        lock (_lock)
        {
            if (_token == (string)presented)
            {
                _token = null;
            }
        }

        string fresh = Current();
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fresh);
        return fresh != (string)presented;
    }

    private string Current()
    {
        lock (_lock)
        {
            if (_token is null || _time.GetUtcNow() >= _due)
            {
                (string token, DateTimeOffset? expiry) = _fetch();
                _token = token;
                _due = expiry ?? DateTimeOffset.MaxValue;
            }

            return _token;
        }
    }
}
