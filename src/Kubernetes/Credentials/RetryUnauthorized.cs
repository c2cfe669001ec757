using System.Net;
using System.Net.Http.Headers;

namespace KubeCache.Kubernetes.Credentials;

/// <summary>
/// Retries a request once after a 401 with the token fetched again: the server may have rotated
/// the token the client holds (service-account token rotation, an exec plugin's token revoked).
/// KubernetesClient sets the Authorization header before its handlers run, so this handler sees
/// the token that was refused.
/// </summary>
internal sealed class RetryUnauthorized(RefreshableToken token) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized || request.Headers.Authorization is not { Scheme: "Bearer", Parameter: { } refused })
        {
            return response;
        }

        token.Invalidate(refused);
        AuthenticationHeaderValue fresh = await token.GetAuthenticationHeaderAsync(cancellationToken).ConfigureAwait(false);
        if (fresh.Parameter == refused)
        {
            return response;
        }

        response.Dispose();
        request.Headers.Authorization = fresh;
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
