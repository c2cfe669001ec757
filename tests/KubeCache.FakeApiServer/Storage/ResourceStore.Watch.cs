using System.Globalization;
using System.Text.Json.Nodes;
using KubeCache.FakeApiServer.Errors;

namespace KubeCache.FakeApiServer.Storage;

internal sealed partial class ResourceStore
{
    /// <summary>
    /// Opens a watch. With no start revision the current objects come first as synthetic ADDED
    /// events (consistent with the revision the watch starts at); with one, the history after
    /// it is replayed, or 410 Expired when it was compacted away.
    /// </summary>
    public WatchSubscription Subscribe(string storageKey, string? ns, long? after)
    {
        lock (Sync)
        {
            var sub = new WatchSubscription(storageKey, ns);
            if (after is null)
            {
                foreach (var o in List(storageKey, ns))
                {
                    var rv = long.Parse(o["metadata"]!["resourceVersion"]!.GetValue<string>(), CultureInfo.InvariantCulture);
                    sub.Post(new WatchEvent(WatchEvent.Added, storageKey, ns ?? "", rv, (JsonObject)o.DeepClone(), null));
                }
            }
            else
            {
                if (after > _revision)
                {
                    throw ApiErrors.TooLargeResourceVersion(after.Value, _revision);
                }
                if (!_history.TryGetAfter(after.Value, out var replay))
                {
                    throw ApiErrors.Expired(after.Value, _history.CompactedThrough + 1);
                }
                foreach (var e in replay.Where(sub.Matches))
                {
                    sub.Post(e);
                }
            }
            _watches.Add(sub);
            return sub;
        }
    }

    public void Unsubscribe(WatchSubscription sub)
    {
        lock (Sync)
        {
            _watches.Remove(sub);
        }
        sub.Close();
    }

    /// <summary>Queues a BOOKMARK at the current revision behind every event already queued.</summary>
    public void PostBookmark(WatchSubscription sub, JsonObject? annotations = null)
    {
        lock (Sync)
        {
            var meta = new JsonObject { ["resourceVersion"] = _revision.ToString(CultureInfo.InvariantCulture) };
            if (annotations is not null)
            {
                meta["annotations"] = annotations;
            }
            sub.Post(new WatchEvent(WatchEvent.Bookmark, sub.StorageKey, "", _revision, new JsonObject { ["metadata"] = meta }, null));
        }
    }

    /// <summary>Ends every open watch (as when an apiserver restarts); clients must re-watch.</summary>
    public int DropAllWatches()
    {
        lock (Sync)
        {
            var count = _watches.Count;
            foreach (var w in _watches)
            {
                w.Close();
            }
            _watches.Clear();
            return count;
        }
    }

    /// <summary>Compacts the history up to now: any resume from an older revision gets 410.</summary>
    public void CompactHistory()
    {
        lock (Sync)
        {
            _history.CompactThrough(_revision);
        }
    }

    /// <summary>Number of open watches.</summary>
    public int WatchCount
    {
        get { lock (Sync) { return _watches.Count; } }
    }
}
