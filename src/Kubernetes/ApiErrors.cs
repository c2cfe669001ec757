using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace KubeCache.Kubernetes;

/// <summary>
/// Reads KubernetesClient's failures: an <see cref="HttpOperationException"/> for an error answer,
/// a <see cref="KubernetesException"/> carrying the Status of a watch's ERROR event.
/// </summary>
public static class ApiErrors
{
    /// <summary>The HTTP status of the failure, or null when it is not an answer of the API server.</summary>
    public static HttpStatusCode? StatusCodeOf(Exception error) => error switch
    {
        HttpOperationException { Response: { } response } => response.StatusCode,
        KubernetesException { Status.Code: { } code } => (HttpStatusCode)code,
        _ => null,
    };

    /// <summary>The Status the server answered with, when its body is one.</summary>
    public static V1Status? StatusOf(Exception error)
    {
        switch (error)
        {
            case KubernetesException { Status: { } status }:
                return status;
            case HttpOperationException { Response.Content: { Length: > 0 } body } when body.StartsWith('{'):
                try
                {
                    return KubernetesJson.Deserialize<V1Status>(body);
                }
                catch (JsonException)
                {
                    return null;
                }
            default:
                return null;
        }
    }

    public static bool IsNotFound(Exception error) => StatusCodeOf(error) == HttpStatusCode.NotFound;

    public static bool IsConflict(Exception error) => StatusCodeOf(error) == HttpStatusCode.Conflict;

    /// <summary>410 Gone, or reason Expired: the resourceVersion asked for is older than the server keeps.</summary>
    public static bool IsExpired(Exception error) =>
        StatusCodeOf(error) == HttpStatusCode.Gone || StatusOf(error)?.Reason is "Expired" or "Gone";

    /// <summary>The resourceVersion asked for is newer than the server has seen (a relist must not wait for it).</summary>
    public static bool IsTooLargeResourceVersion(Exception error) =>
        StatusOf(error)?.Details?.Causes?.Any(c => c.Reason == "ResourceVersionTooLarge") == true;
}
