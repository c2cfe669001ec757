using System.Globalization;
using System.Text.Json.Nodes;
using KubeCache.FakeApiServer.Json;

namespace KubeCache.FakeApiServer.Storage;

/// <summary>
/// Every object, one global revision counter (like etcd) and the event history. Callers hold
/// <see cref="Sync"/> around a read-modify-write so each request is one atomic step; the
/// store never mutates an object it handed out and keeps its own copies.
/// </summary>
internal sealed partial class ResourceStore(int historyCapacity)
{
    private readonly Dictionary<string, SortedDictionary<string, JsonObject>> _objects = new(StringComparer.Ordinal);
    private readonly EventHistory _history = new(historyCapacity);
    private readonly List<WatchSubscription> _watches = [];
    private TaskCompletionSource _changed = NewSignal();
    private long _revision;

    /// <summary>The lock every read-modify-write holds (re-entrant).</summary>
    public Lock Sync { get; } = new();

    /// <summary>The latest revision handed out; lists report it as their resourceVersion.</summary>
    public long Revision
    {
        get { lock (Sync) { return _revision; } }
    }

    /// <summary>Completes at the next write (or watch change); used by waiters and the collector.</summary>
    public Task Changed
    {
        get { lock (Sync) { return _changed.Task; } }
    }

    /// <summary>The stored object (do not mutate), or null.</summary>
    public JsonObject? Get(string storageKey, string ns, string name)
    {
        lock (Sync)
        {
            return _objects.TryGetValue(storageKey, out var map) && map.TryGetValue(Key(ns, name), out var o) ? o : null;
        }
    }

    /// <summary>Stored objects of one kind ordered by namespace and name; <paramref name="ns"/> null = all.</summary>
    public List<JsonObject> List(string storageKey, string? ns)
    {
        lock (Sync)
        {
            if (!_objects.TryGetValue(storageKey, out var map))
            {
                return [];
            }
            return [.. map.Values.Where(o => ns is null || o.Namespace() == ns)];
        }
    }

    /// <summary>Every stored object with its storage key (for the garbage collector and tests).</summary>
    public List<(string StorageKey, JsonObject Object)> All()
    {
        lock (Sync)
        {
            return [.. _objects.SelectMany(kv => kv.Value.Values.Select(o => (kv.Key, o)))];
        }
    }

    /// <summary>Stores a new object under the next revision and returns the stored copy.</summary>
    public JsonObject Create(string storageKey, JsonObject obj) => Write(storageKey, obj, WatchEvent.Added);

    /// <summary>Replaces an object under the next revision and returns the stored copy.</summary>
    public JsonObject Update(string storageKey, JsonObject obj) => Write(storageKey, obj, WatchEvent.Modified);

    /// <summary>Removes an object; the delete takes a revision too, carried by the DELETED event.</summary>
    public JsonObject? Delete(string storageKey, string ns, string name)
    {
        lock (Sync)
        {
            if (!_objects.TryGetValue(storageKey, out var map) || !map.Remove(Key(ns, name), out var old))
            {
                return null;
            }
            var gone = (JsonObject)old.DeepClone();
            gone.Meta()["resourceVersion"] = (++_revision).ToString(CultureInfo.InvariantCulture);
            Publish(new WatchEvent(WatchEvent.Deleted, storageKey, ns, _revision, gone, old));
            return (JsonObject)gone.DeepClone();
        }
    }

    private JsonObject Write(string storageKey, JsonObject obj, string type)
    {
        lock (Sync)
        {
            var stored = (JsonObject)obj.DeepClone();
            stored.Meta()["resourceVersion"] = (++_revision).ToString(CultureInfo.InvariantCulture);
            if (!_objects.TryGetValue(storageKey, out var map))
            {
                map = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
                _objects[storageKey] = map;
            }
            var key = Key(stored.Namespace(), stored.Name());
            map.TryGetValue(key, out var previous);
            map[key] = stored;
            Publish(new WatchEvent(type, storageKey, stored.Namespace(), _revision, (JsonObject)stored.DeepClone(), previous));
            return (JsonObject)stored.DeepClone();
        }
    }

    private void Publish(WatchEvent e)
    {
        _history.Add(e);
        foreach (var w in _watches)
        {
            if (w.Matches(e))
            {
                w.Post(e);
            }
        }
        Signal();
    }

    private void Signal()
    {
        var done = _changed;
        _changed = NewSignal();
        done.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static string Key(string ns, string name) => ns + "/" + name;
}
