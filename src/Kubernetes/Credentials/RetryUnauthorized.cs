using System.Net;

namespace KubeCache.Kubernetes.Credentials;

/// <summary>
/// Retries a request once after a 401 with its credentials fetched again: the server may have
/// stopped accepting what the client holds (a rotated service-account token, an exec plugin's
/// token revoked or its client certificate expired).
/// </summary>
internal sealed class RetryUnauthorized(IReadOnlyList<IRenewableCredential> credentials) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        object?[] presented = [.. credentials.Select(c => c.Presented(request))];
        HttpResponseMessage response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        bool renewed = false;
        for (int i = 0; i < credentials.Count; i++)
        {
            renewed |= presented[i] is { } refused && credentials[i].Renew(request, refused);
        }

        if (!renewed)
        {
            return response;
        }

        response.Dispose();
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
