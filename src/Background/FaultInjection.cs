namespace KubeCache.Background;

/// <summary>
/// Failures injected into background work for tests that prove a process survives them: each
/// component named in <see cref="EnvironmentVariable"/> (comma-separated) throws
/// <see cref="InjectedFaultException"/> the first time it runs through <see cref="BackgroundErrors"/>.
/// Unset in production, where it costs one dictionary lookup on an empty dictionary.
/// </summary>
public sealed class FaultInjection
{
    /// <summary>The variable that names the components to fail, e.g. <c>expiry,upstream-watchdog</c>.</summary>
    public const string EnvironmentVariable = "KVCACHE_INJECT_FAULTS";

    private readonly HashSet<string> _armed;
    private readonly Lock _sync = new();

    /// <param name="components">Components that fail on their first run.</param>
    public FaultInjection(IEnumerable<string> components) => _armed = new HashSet<string>(components, StringComparer.Ordinal);

    /// <summary>Injects nothing.</summary>
    public static FaultInjection None { get; } = new([]);

    /// <summary>The faults <see cref="EnvironmentVariable"/> names; none when it is unset.</summary>
    public static FaultInjection FromEnvironment() =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } names
            ? new FaultInjection(names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            : None;

    /// <summary>Throws once for each armed component, on its first run.</summary>
    /// <exception cref="InjectedFaultException"><paramref name="component"/> was armed and has not failed yet.</exception>
    public void ThrowIfArmed(string component)
    {
        if (_armed.Count == 0)
        {
            return;
        }

        lock (_sync)
        {
            if (!_armed.Remove(component))
            {
                return;
            }
        }

        throw new InjectedFaultException(component);
    }
}

/// <summary>The failure <see cref="FaultInjection"/> injects.</summary>
public sealed class InjectedFaultException(string component)
    : Exception($"fault injected into {component} ({FaultInjection.EnvironmentVariable})");
