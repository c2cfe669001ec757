namespace KubeCache.Kubernetes;

/// <summary>What an <see cref="Informer{T}"/> follows and how it recovers.</summary>
public sealed class InformerOptions
{
    /// <summary>The namespace to follow; null follows all namespaces. Default: null.</summary>
    public string? Namespace { get; init; }

    /// <summary>Label selector applied to list and watch. Default: none.</summary>
    public string? LabelSelector { get; init; }

    /// <summary>Field selector applied to list and watch, e.g. <c>metadata.name=demo-ring</c>. Default: none.</summary>
    public string? FieldSelector { get; init; }

    /// <summary>
    /// How often every cached object is handed to the handlers again as a
    /// <see cref="InformerEventType.Resync"/>, so a handler that missed or failed on an event
    /// catches up. <see cref="TimeSpan.Zero"/> turns resync off. Default: zero.
    /// </summary>
    public TimeSpan ResyncPeriod { get; init; }

    /// <summary>Items per page of a full (quorum) list. Default: 500.</summary>
    public int PageSize { get; init; } = 500;

    /// <summary>
    /// The server ends each watch after a random time between this and twice this, which spreads
    /// reconnects of many clients. Default: 5 minutes (client-go's range is 5 to 10 minutes).
    /// </summary>
    public TimeSpan MinWatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>First wait after a failed list or watch; doubles on each further failure. Default: 800 ms.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(800);

    /// <summary>Longest wait between attempts before jitter (up to as much again is added). Default: 30 seconds.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>After this long without a failure the wait starts again at <see cref="InitialBackoff"/>. Default: 2 minutes.</summary>
    public TimeSpan BackoffResetAfter { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Clock for backoff and resync. Default: <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}

/// <summary>What happened to a cached object.</summary>
public enum InformerEventType
{
    Added,
    Updated,
    Deleted,

    /// <summary>Nothing changed: the periodic resync hands the cached object over again.</summary>
    Resync,
}

/// <summary>A change the informer saw. <see cref="OldObject"/> is the cached state before an update.</summary>
public sealed record InformerEvent<T>(InformerEventType Type, T Object, T? OldObject = null)
    where T : class;
