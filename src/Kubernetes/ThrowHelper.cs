using System.Diagnostics.CodeAnalysis;

namespace KubeCache.Kubernetes;

/// <summary>The exceptions this project throws, made in one place so their messages stay consistent.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowArgument(string paramName, string message) => throw new ArgumentException(message, paramName);

    [DoesNotReturn]
    public static void ThrowArgumentOutOfRange(string paramName, string message) => throw new ArgumentOutOfRangeException(paramName, message);

    public static KubernetesConfigurationException Configuration(string message, Exception? inner = null) => new(message, inner);
}
