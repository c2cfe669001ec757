using KubeCache.FakeApiServer.Errors;
using KubeCache.FakeApiServer.Watch;

namespace KubeCache.FakeApiServer;

public sealed partial class FakeApiServer
{
    /// <summary>Open watch streams.</summary>
    public int OpenWatches => _store.WatchCount;

    /// <summary>How a watch from a compacted resourceVersion is told (ERROR event by default, or HTTP 410).</summary>
    public ExpiredWatchMode ExpiredWatchMode
    {
        get => _watch.ExpiredMode;
        set => _watch.ExpiredMode = value;
    }

    /// <summary>Ends every open watch, as an apiserver restart would; returns how many were open.</summary>
    public int DropWatches() => _store.DropAllWatches();

    /// <summary>Compacts the event history up to now: resuming a watch from any older resourceVersion gets 410 Expired.</summary>
    public void CompactHistory() => _store.CompactHistory();

    /// <summary>Expires every outstanding list continue token (the next page answers 410 Expired).</summary>
    public void ExpireContinueTokens() => _tokens.ExpireAll();

    /// <summary>
    /// Makes the next <paramref name="times"/> requests whose method matches (null = any) and whose
    /// path and query contain <paramref name="pathContains"/> fail with a Status of the given code and reason.
    /// </summary>
    public void InjectFailure(string? method, string pathContains, int code, string reason = "InternalError", string message = "injected failure", int times = 1) =>
        _failures.Add(method, pathContains, new ApiException(code, reason, message), times);

    /// <summary>Runs one garbage-collection pass now (it also runs after every write when enabled).</summary>
    public void CollectGarbage() => _collector?.Pass();

    /// <summary>Runs one disruption-controller pass now (it also runs after every write when enabled).</summary>
    public void SyncDisruptionBudgets() => _disruption.Pass();
}
