namespace KubeCache.CacheNode.Resp;

/// <summary>
/// The keys RESP connections WATCH, node-wide. A write marks every connection watching its key
/// before it changes the key (<see cref="Touch"/>), so a transaction that checks its mark while
/// holding the key's shard lock either sees the mark or runs before the write. While nobody
/// watches, a touch is one volatile read.
/// </summary>
public sealed class WatchedKeys
{
    private readonly Lock _lock = new();
    private readonly Dictionary<byte[], List<RespSession>> _watchers = new(ByteArrayComparer.Instance);
    private volatile int _count;

    /// <summary>Adds <paramref name="key"/> to what <paramref name="session"/> watches.</summary>
    public void Watch(RespSession session, byte[] key)
    {
        lock (_lock)
        {
            if (!_watchers.TryGetValue(key, out List<RespSession>? sessions))
            {
                _watchers[key] = sessions = [];
            }

            if (!sessions.Contains(session))
            {
                sessions.Add(session);
                _count++;
            }
        }
    }

    /// <summary>Forgets every key <paramref name="session"/> watches (EXEC, DISCARD, UNWATCH, a closed connection).</summary>
    public void Unwatch(RespSession session, IEnumerable<byte[]> keys)
    {
        lock (_lock)
        {
            foreach (byte[] key in keys)
            {
                if (_watchers.TryGetValue(key, out List<RespSession>? sessions) && sessions.Remove(session))
                {
                    _count--;
                    if (sessions.Count == 0)
                    {
                        _watchers.Remove(key);
                    }
                }
            }
        }
    }

    /// <summary>Marks the connections watching <paramref name="key"/>; called before the key is written.</summary>
    public void Touch(ReadOnlySpan<byte> key)
    {
        if (_count == 0)
        {
            return;
        }

        lock (_lock)
        {
            if (_watchers.TryGetValue(key.ToArray(), out List<RespSession>? sessions))
            {
                foreach (RespSession session in sessions)
                {
                    session.WatchTouched = true;
                }
            }
        }
    }

    /// <summary>Marks every watching connection (FLUSHALL).</summary>
    public void TouchAll()
    {
        if (_count == 0)
        {
            return;
        }

        lock (_lock)
        {
            foreach (List<RespSession> sessions in _watchers.Values)
            {
                foreach (RespSession session in sessions)
                {
                    session.WatchTouched = true;
                }
            }
        }
    }

    private sealed class ByteArrayComparer : IEqualityComparer<byte[]>
    {
        public static readonly ByteArrayComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj)
        {
            var hash = new HashCode();
            hash.AddBytes(obj);
            return hash.ToHashCode();
        }
    }
}
