namespace KubeCache.Topology;

/// <summary>
/// A ring document that cannot be used: not JSON, or a field missing or invalid. The message
/// names the field and says what to fix.
/// </summary>
public sealed class RingFormatException : Exception
{
    public RingFormatException()
        : base("The ring document is invalid.")
    {
    }

    public RingFormatException(string message)
        : base(message)
    {
    }

    public RingFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
