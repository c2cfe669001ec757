using System.Diagnostics.CodeAnalysis;
using KubeCache.Kubernetes.Models;

namespace KubeCache.Kubernetes;

/// <summary>The one place this assembly throws from, so messages and exception types stay consistent.</summary>
internal static class ThrowHelper
{
    /// <summary>The exception for an API error: typed for conflicts and expiry, general otherwise.</summary>
    public static KubernetesApiException ApiError(Status status) =>
        IsExpired(status) ? new KubernetesExpiredException(status)
        : status.Code == 409 && status.Reason != "AlreadyExists" ? new KubernetesConflictException(status)
        : new KubernetesApiException(status);

    [DoesNotReturn]
    public static void ThrowApiError(Status status) => throw ApiError(status);

    /// <summary>A 410, or a Status whose reason says expired (Expired from 1.18 on, Gone before).</summary>
    public static bool IsExpired(Status status) =>
        status.Code == 410 || status.Reason is "Expired" or "Gone";

    [DoesNotReturn]
    public static void ThrowArgument(string paramName, string message) =>
        throw new ArgumentException(message, paramName);

    [DoesNotReturn]
    public static T ThrowArgument<T>(string paramName, string message) =>
        throw new ArgumentException(message, paramName);

    [DoesNotReturn]
    public static void ThrowArgumentOutOfRange(string paramName, string message) =>
        throw new ArgumentOutOfRangeException(paramName, message);

    /// <summary>A kubeconfig, service-account file or credential plugin is unusable; the message says what to fix.</summary>
    [DoesNotReturn]
    public static void ThrowConfiguration(string message, Exception? inner = null) =>
        throw new KubernetesConfigurationException(message, inner);

    [DoesNotReturn]
    public static T ThrowConfiguration<T>(string message, Exception? inner = null) =>
        throw new KubernetesConfigurationException(message, inner);

    /// <summary>The server answered with something that is not the protocol (a malformed watch line, a list without items).</summary>
    [DoesNotReturn]
    public static T ThrowProtocol<T>(string message, Exception? inner = null) =>
        throw new InvalidDataException(message, inner);
}
