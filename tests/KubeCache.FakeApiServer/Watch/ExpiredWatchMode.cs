namespace KubeCache.FakeApiServer.Watch;

/// <summary>How a watch from a compacted resourceVersion learns it is too old.</summary>
public enum ExpiredWatchMode
{
    /// <summary>200, then one ERROR event carrying a 410 Expired Status (what an apiserver with a watch cache does).</summary>
    ErrorEvent,

    /// <summary>The watch request itself answers 410 Expired.</summary>
    HttpStatus,
}
