namespace KubeCache.FakeApiServer.Storage;

/// <summary>
/// The bounded window of recent events a watch can resume from (etcd's compaction window).
/// Not thread-safe: the store calls it under its lock.
/// </summary>
internal sealed class EventHistory(int capacity)
{
    private readonly Queue<WatchEvent> _events = new();

    /// <summary>Highest revision whose events may no longer be replayed (0 = nothing lost yet).</summary>
    public long CompactedThrough { get; private set; }

    public void Add(WatchEvent e)
    {
        _events.Enqueue(e);
        while (_events.Count > capacity)
        {
            CompactedThrough = _events.Dequeue().ResourceVersion;
        }
    }

    /// <summary>Drops everything up to <paramref name="revision"/>, so older resume points get 410.</summary>
    public void CompactThrough(long revision)
    {
        while (_events.Count > 0 && _events.Peek().ResourceVersion <= revision)
        {
            _events.Dequeue();
        }
        CompactedThrough = Math.Max(CompactedThrough, revision);
    }

    /// <summary>Events after <paramref name="revision"/>, or false when some were compacted away.</summary>
    public bool TryGetAfter(long revision, out List<WatchEvent> events)
    {
        events = [];
        if (revision < CompactedThrough)
        {
            return false;
        }
        events.AddRange(_events.Where(e => e.ResourceVersion > revision));
        return true;
    }
}
