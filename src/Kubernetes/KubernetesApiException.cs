using System.Net;
using KubeCache.Kubernetes.Models;

namespace KubeCache.Kubernetes;

/// <summary>
/// The API server refused a request. <see cref="Status"/> is the server's own <c>Status</c>
/// (code, reason, message, details); when the server sent no Status body the client builds one
/// from the HTTP status and the body text.
/// </summary>
public class KubernetesApiException : Exception
{
    internal KubernetesApiException(Status status, Exception? inner = null)
        : base(FormatMessage(status), inner) => Status = status;

    /// <summary>The <c>Status</c> the server returned.</summary>
    public Status Status { get; }

    /// <summary>The HTTP status code (also <c>Status.Code</c>).</summary>
    public HttpStatusCode StatusCode => (HttpStatusCode)Status.Code;

    /// <summary>The machine-readable reason: NotFound, AlreadyExists, Conflict, Expired, Invalid, ...</summary>
    public string? Reason => Status.Reason;

    public bool IsNotFound => Status.Code == 404;

    public bool IsAlreadyExists => Status.Code == 409 && Status.Reason == "AlreadyExists";

    private static string FormatMessage(Status status) =>
        $"Kubernetes API error {status.Code} {status.Reason}: {status.Message}";
}

/// <summary>
/// 409 Conflict: a replace carried a stale <c>resourceVersion</c>, or server-side apply found
/// fields owned by another manager (<c>Status.Details.Causes</c> names them). Read the object
/// again and retry.
/// </summary>
public sealed class KubernetesConflictException : KubernetesApiException
{
    internal KubernetesConflictException(Status status)
        : base(status)
    {
    }
}

/// <summary>
/// 410 Gone (reason <c>Expired</c>, or <c>Gone</c> from servers before 1.18): the requested
/// resourceVersion or continue token is older than the server keeps. Relist and watch again
/// from the list's resourceVersion.
/// </summary>
public sealed class KubernetesExpiredException : KubernetesApiException
{
    internal KubernetesExpiredException(Status status)
        : base(status)
    {
    }
}
