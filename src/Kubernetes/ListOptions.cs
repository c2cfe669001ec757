namespace KubeCache.Kubernetes;

/// <summary>What to list and how to page through it.</summary>
public sealed class ListOptions
{
    /// <summary>A label selector, e.g. <c>app.kubernetes.io/instance=demo</c>. Default: none.</summary>
    public string? LabelSelector { get; init; }

    /// <summary>A field selector, e.g. <c>metadata.name=demo</c>. Default: none.</summary>
    public string? FieldSelector { get; init; }

    /// <summary>
    /// Null reads the newest state (a quorum read); <c>"0"</c> accepts any cached state; another
    /// value asks for state not older than it. Default: null.
    /// </summary>
    public string? ResourceVersion { get; init; }

    /// <summary>NotOlderThan or Exact; needs <see cref="ResourceVersion"/>. Default: none.</summary>
    public string? ResourceVersionMatch { get; init; }

    /// <summary>Items per page (the <c>limit</c> parameter); 0 asks for everything at once. Default: 500.</summary>
    public int PageSize { get; init; } = 500;
}

/// <summary>What to watch and from where.</summary>
public sealed class WatchOptions
{
    /// <summary>A label selector. Default: none.</summary>
    public string? LabelSelector { get; init; }

    /// <summary>A field selector, e.g. <c>metadata.name=demo</c> to watch one object. Default: none.</summary>
    public string? FieldSelector { get; init; }

    /// <summary>
    /// Where to start: null or <c>"0"</c> first sends an ADDED event for every existing object;
    /// a list's resourceVersion sends only changes after it. Default: null.
    /// </summary>
    public string? ResourceVersion { get; init; }

    /// <summary>Asks the server for BOOKMARK events, which carry progress without changes. Default: true.</summary>
    public bool AllowWatchBookmarks { get; init; } = true;

    /// <summary>Seconds after which the server ends the watch; null lets the server choose (30 min or more). Default: null.</summary>
    public int? TimeoutSeconds { get; init; }
}
