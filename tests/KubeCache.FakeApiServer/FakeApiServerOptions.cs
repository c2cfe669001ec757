namespace KubeCache.FakeApiServer;

/// <summary>How a <see cref="FakeApiServer"/> behaves; every setting has the default a test usually wants.</summary>
public sealed class FakeApiServerOptions
{
    /// <summary>Events kept for watch resumption (etcd's compaction window). Default 1000 events.</summary>
    public int HistoryCapacity { get; init; } = 1000;

    /// <summary>How often a watch that asked for bookmarks gets one. Default 1 s (a real apiserver: about a minute).</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Watch duration when the client sends no timeoutSeconds. Default 30 min (a real apiserver: 30–60 min).</summary>
    public TimeSpan DefaultWatchTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>How long a list continue token stays valid. Default 5 min, as in a real apiserver.</summary>
    public TimeSpan ContinueTokenLifetime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Deletes dependents whose owners are gone, and runs the namespace controller. Default on.</summary>
    public bool GarbageCollection { get; init; } = true;

    /// <summary>
    /// Runs the disruption controller, which keeps each PodDisruptionBudget's status current;
    /// the eviction subresource refuses (429) while a budget's status is not of its generation. Default on.
    /// </summary>
    public bool DisruptionController { get; init; } = true;

    /// <summary>Refuses namespaced objects in namespaces that do not exist (404), as a real cluster does. Default on.</summary>
    public bool RequireNamespaces { get; init; } = true;

    /// <summary>Serve HTTPS with a generated self-signed certificate instead of HTTP. Default off.</summary>
    public bool UseHttps { get; init; }

    /// <summary>
    /// When set, the administrator's token: requests need it or a service account's token
    /// (<see cref="FakeApiServer.ServiceAccountToken"/>), else 401. Default none.
    /// </summary>
    public string? BearerToken { get; init; }

    /// <summary>
    /// Authorizes every resource request with RBAC against the stored Roles, ClusterRoles and
    /// their bindings (403 Forbidden when none grants it), and requires a token: the
    /// administrator's (<see cref="BearerToken"/>, or one generated) or a service account's.
    /// Default off: every request acts as the administrator.
    /// </summary>
    public bool Rbac { get; init; }

    /// <summary>The clock for timestamps (creationTimestamp, managedFields time, Age). Default the system clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
