using System.Diagnostics.CodeAnalysis;

namespace KubeCache.Protocol;

/// <summary>
/// The one place this assembly throws from, so messages stay consistent and the throwing
/// code stays out of the hot methods that call it.
/// </summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowArgumentOutOfRange(string paramName, string message) =>
        throw new ArgumentOutOfRangeException(paramName, message);

    [DoesNotReturn]
    public static void ThrowArgument(string paramName, string message) =>
        throw new ArgumentException(message, paramName);

    [DoesNotReturn]
    public static void ThrowArgumentIndex(string paramName, int index, int count) =>
        throw new ArgumentOutOfRangeException(paramName, index, $"Index {index} is outside the {count} arguments of the command.");

    [DoesNotReturn]
    public static T ThrowInvalidOperation<T>(string message) =>
        throw new InvalidOperationException(message);

    [DoesNotReturn]
    public static void ThrowInvalidOperation(string message) =>
        throw new InvalidOperationException(message);
}
