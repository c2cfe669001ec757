namespace KubeCache.Configuration;

/// <summary>A start-up option that cannot be used; the message names the flag and says what to fix.</summary>
public sealed class OptionException(string flag, string problem) : Exception($"{flag}: {problem}")
{
    public string Flag { get; } = flag;
}
