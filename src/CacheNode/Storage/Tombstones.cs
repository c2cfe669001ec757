using System.Collections.Concurrent;

namespace KubeCache.CacheNode.Storage;

/// <summary>
/// Keys deleted while a rebalance is in progress. A handoff that arrives after the delete must
/// not bring the key back, so handoff writes check here first. Tombstones are kept only while
/// <see cref="Enabled"/> (the ring has a previous generation) and each lives at most
/// <see cref="StoreOptions.TombstoneTtl"/>, so the set stays small and bounded in time.
/// </summary>
public sealed class Tombstones(TimeProvider time, TimeSpan ttl)
{
    private readonly ConcurrentDictionary<string, long> _keys = new(StringComparer.Ordinal);
    private volatile bool _enabled;

    /// <summary>Whether deletes leave tombstones; turning it off forgets them all.</summary>
    public bool Enabled
    {
        get => _enabled;
        set
        {
            _enabled = value;
            if (!value)
            {
                _keys.Clear();
            }
        }
    }

    public int Count => _keys.Count;

    public void Add(ReadOnlySpan<byte> key)
    {
        if (_enabled)
        {
            _keys[Convert.ToBase64String(key)] = Now() + (long)ttl.TotalMilliseconds;
        }
    }

    public bool Contains(ReadOnlySpan<byte> key)
    {
        if (!_enabled || _keys.IsEmpty)
        {
            return false;
        }

        string id = Convert.ToBase64String(key);
        if (!_keys.TryGetValue(id, out long until))
        {
            return false;
        }

        if (until > Now())
        {
            return true;
        }

        _keys.TryRemove(id, out _);
        return false;
    }

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();
}
