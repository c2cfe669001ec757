namespace KubeCache.Configuration;

/// <summary>One start-up option: its flag, environment variable, default, unit and meaning.</summary>
public sealed record OptionSpec<TOptions>(string Flag, string Default, string Unit, string Meaning, Action<TOptions, string> Apply)
{
    /// <summary>
    /// The environment variable: <see cref="Environment"/> when set, else KVCACHE_ and the flag in
    /// upper case with underscores.
    /// </summary>
    public string EnvironmentVariable => Environment ?? "KVCACHE_" + Flag.TrimStart('-').Replace('-', '_').ToUpperInvariant();

    /// <summary>
    /// A variable named for what a deployment already sets rather than for the flag (the pod's
    /// namespace or name from the downward API, shared with other settings); null for the usual name.
    /// </summary>
    public string? Environment { get; init; }
}
