using System.Diagnostics.CodeAnalysis;

namespace KubeCache.Topology;

/// <summary>The one place this project throws from, so messages stay consistent.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowArgument(string paramName, string message) =>
        throw new ArgumentException(message, paramName);

    [DoesNotReturn]
    public static void ThrowArgumentOutOfRange(string paramName, string message) =>
        throw new ArgumentOutOfRangeException(paramName, message);

    [DoesNotReturn]
    public static void ThrowEmptyRing() =>
        throw new InvalidOperationException("The ring has no members, so no key has an owner; add at least one member.");

    [DoesNotReturn]
    public static void ThrowClusterMismatch(string expected, string found) =>
        throw new InvalidOperationException(
            $"The ring document belongs to cluster \"{found}\", but this coordinator manages \"{expected}\"; check which ConfigMap or ring file it reads.");

    [DoesNotReturn]
    public static void ThrowFormat(string message) => throw new RingFormatException(message);

    [DoesNotReturn]
    public static void ThrowFormat(string message, Exception inner) => throw new RingFormatException(message, inner);
}
