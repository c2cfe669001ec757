using System.Security.Cryptography.X509Certificates;

namespace KubeCache.Kubernetes.Auth;

/// <summary>What a request authenticates with: a bearer token, a client certificate, or both.</summary>
internal sealed record Credential(string? Token, X509Certificate2? ClientCertificate = null);

/// <summary>
/// Supplies the current credential, caching it as long as it is good. After the server answers
/// 401 the client calls <see cref="Invalidate"/> so the next <see cref="GetAsync"/> fetches afresh.
/// </summary>
internal abstract class CredentialSource
{
    public abstract ValueTask<Credential> GetAsync(CancellationToken cancellationToken);

    /// <summary>The server rejected <paramref name="rejected"/>; drop it unless a newer one is cached already.</summary>
    public virtual void Invalidate(Credential rejected)
    {
    }

    /// <summary>The certificate fetched last, for the TLS handshake's client-certificate callback.</summary>
    public virtual X509Certificate2? CurrentClientCertificate => null;
}

/// <summary>A token that never changes (a kubeconfig's <c>token</c>).</summary>
internal sealed class StaticTokenSource(string token) : CredentialSource
{
    private readonly Credential _credential = new(token);

    public override ValueTask<Credential> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_credential);
}
