using k8s;
using k8s.Models;
using KubeCache.Kubernetes.Informers;

namespace KubeCache.Kubernetes;

public sealed partial class Informer<T>
{
    /// <summary>Lists and watches until <paramref name="cancellationToken"/> fires; never throws for API or network failures.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var backoff = new Backoff(_options.InitialBackoff, _options.MaxBackoff, _options.BackoffResetAfter, _options.TimeProvider);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task resync = _options.ResyncPeriod > TimeSpan.Zero ? ResyncLoopAsync(stop.Token) : Task.CompletedTask;

        // The first list may come from the server's watch cache ("0"); later ones resume at what we saw.
        string relistFrom = "0";
        bool needList = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            bool listing = needList;
            try
            {
                if (needList)
                {
                    await ListAndReplaceAsync(relistFrom, cancellationToken).ConfigureAwait(false);
                    needList = false;
                }
                listing = false;
                await WatchAsync(cancellationToken).ConfigureAwait(false);
                // The server ended the watch at its timeout: watch again from where we are.
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (ApiErrors.IsExpired(e) || ApiErrors.IsTooLargeResourceVersion(e))
            {
                ReportError(e);
                needList = true;
                // A relist at our RV that is itself too old (or too new) falls back to a quorum read, as client-go does.
                relistFrom = listing ? "" : _lastSyncResourceVersion ?? "";
            }
            catch (Exception e)
            {
                ReportError(e);
                needList = true;
                relistFrom = _lastSyncResourceVersion ?? "0";
                try
                {
                    await Task.Delay(backoff.Next(), _options.TimeProvider, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        await stop.CancelAsync().ConfigureAwait(false);
        await resync.ConfigureAwait(false);
    }

    private async Task ListAndReplaceAsync(string resourceVersion, CancellationToken cancellationToken)
    {
        bool exact = resourceVersion is not ("" or "0");
        KubernetesList<T> list = await _client.ListAsync<T>(_resource, _options.Namespace, Selectors,
            resourceVersion: resourceVersion.Length == 0 ? null : resourceVersion,
            resourceVersionMatch: exact ? "NotOlderThan" : null,
            // A limit beside a specific RV would make the list Exact (and 410-prone); page only quorum lists.
            pageSize: resourceVersion.Length == 0 ? _options.PageSize : 0,
            cancellationToken: cancellationToken).ConfigureAwait(false);
        Replace(list.Items, list.Metadata?.ResourceVersion);
    }

    /// <summary>Makes the cache equal to a fresh list and reports the differences: additions and updates in list order, then deletions.</summary>
    private void Replace(IList<T> items, string? resourceVersion)
    {
        lock (_gate)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (T item in items)
            {
                string key = KeyOf(item);
                seen.Add(key);
                if (!_cache.TryGetValue(key, out T? old))
                {
                    _cache[key] = item;
                    Raise(new InformerEvent<T>(InformerEventType.Added, item));
                }
                else if (old.Metadata?.ResourceVersion != item.Metadata?.ResourceVersion)
                {
                    _cache[key] = item;
                    Raise(new InformerEvent<T>(InformerEventType.Updated, item, old));
                }
            }
            foreach ((string key, T old) in _cache.ToArray())
            {
                if (!seen.Contains(key) && _cache.TryRemove(key, out _))
                {
                    Raise(new InformerEvent<T>(InformerEventType.Deleted, old));
                }
            }
            _lastSyncResourceVersion = resourceVersion;
        }
        _synced.TrySetResult();
    }

    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        double minSeconds = _options.MinWatchTimeout.TotalSeconds;
        int timeoutSeconds = (int)Math.Max(1, minSeconds + (Random.Shared.NextDouble() * minSeconds));
        await foreach ((WatchEventType type, T obj) in _client.WatchAsync<T>(_resource, _options.Namespace, Selectors, _lastSyncResourceVersion,
            timeoutSeconds, cancellationToken).ConfigureAwait(false))
        {
            Apply(type, obj);
        }
    }

    private Selectors Selectors => new(_options.LabelSelector, _options.FieldSelector);

    private void Apply(WatchEventType type, T obj)
    {
        lock (_gate)
        {
            string key = KeyOf(obj);
            switch (type)
            {
                case WatchEventType.Added:
                case WatchEventType.Modified:
                    bool existed = _cache.TryGetValue(key, out T? old);
                    _cache[key] = obj;
                    Raise(existed ? new InformerEvent<T>(InformerEventType.Updated, obj, old) : new InformerEvent<T>(InformerEventType.Added, obj));
                    break;
                case WatchEventType.Deleted:
                    _cache.TryRemove(key, out _);
                    Raise(new InformerEvent<T>(InformerEventType.Deleted, obj));
                    break;
                case WatchEventType.Bookmark:
                    break;
            }
            // Every event, bookmarks included, moves the resume point (the watch never starts at "" or "0" here).
            if (!string.IsNullOrEmpty(obj.Metadata?.ResourceVersion))
            {
                _lastSyncResourceVersion = obj.Metadata.ResourceVersion;
            }
        }
    }

    private async Task ResyncLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.ResyncPeriod, _options.TimeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!HasSynced)
                {
                    continue;
                }
                lock (_gate)
                {
                    foreach (T obj in _cache.Values)
                    {
                        Raise(new InformerEvent<T>(InformerEventType.Resync, obj));
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
