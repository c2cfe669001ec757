namespace KubeCache.Configuration;

/// <summary>One start-up option: its flag, environment variable, default, unit and meaning.</summary>
public sealed record OptionSpec<TOptions>(string Flag, string Default, string Unit, string Meaning, Action<TOptions, string> Apply)
{
    /// <summary>The environment variable: KVCACHE_ and the flag in upper case with underscores.</summary>
    public string EnvironmentVariable => "KVCACHE_" + Flag.TrimStart('-').Replace('-', '_').ToUpperInvariant();
}
