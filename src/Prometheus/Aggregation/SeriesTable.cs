namespace KubeCache.Prometheus.Aggregation;

/// <summary>
/// Finds the series for a tag set on the measurement hot path: lock-free and allocation-free once
/// the tag set has been seen. Readers walk an immutable chain in a bucket array that is replaced
/// (never mutated in place) when it grows; only the first measurement of a new tag set takes the lock.
/// </summary>
internal sealed class SeriesTable<TSeries>(Func<TSeries> create)
    where TSeries : class
{
    private const int InitialBuckets = 16;

    private readonly Lock _addLock = new();
    private Entry?[] _buckets = new Entry?[InitialBuckets];
    private TSeries? _untagged;
    private int _count;

    public TSeries GetOrAdd(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return Volatile.Read(ref _untagged) ?? AddUntagged();
        }

        int hash = TagSet.Hash(tags);
        var buckets = Volatile.Read(ref _buckets);
        for (var entry = Volatile.Read(ref buckets[hash & (buckets.Length - 1)]); entry is not null; entry = entry.Next)
        {
            if (entry.Hash == hash && TagSet.Matches(entry.Tags, tags))
            {
                return entry.Series;
            }
        }

        return Add(hash, tags);
    }

    /// <summary>Every series with its tags; called at scrape time, so it may allocate.</summary>
    public List<(KeyValuePair<string, object?>[] Tags, TSeries Series)> Snapshot()
    {
        var result = new List<(KeyValuePair<string, object?>[], TSeries)>();
        if (Volatile.Read(ref _untagged) is { } untagged)
        {
            result.Add(([], untagged));
        }

        foreach (var head in Volatile.Read(ref _buckets))
        {
            for (var entry = head; entry is not null; entry = entry.Next)
            {
                result.Add((entry.Tags, entry.Series));
            }
        }

        return result;
    }

    private TSeries AddUntagged()
    {
        lock (_addLock)
        {
            return _untagged ??= create();
        }
    }

    private TSeries Add(int hash, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        lock (_addLock)
        {
            // Another thread may have added the same tag set since the lock-free lookup.
            for (var entry = _buckets[hash & (_buckets.Length - 1)]; entry is not null; entry = entry.Next)
            {
                if (entry.Hash == hash && TagSet.Matches(entry.Tags, tags))
                {
                    return entry.Series;
                }
            }

            var series = create();
            var buckets = ++_count > _buckets.Length ? Grow(_buckets) : _buckets;
            int index = hash & (buckets.Length - 1);
            Volatile.Write(ref buckets[index], new Entry(hash, TagSet.Copy(tags), series, buckets[index]));
            Volatile.Write(ref _buckets, buckets);
            return series;
        }
    }

    private static Entry?[] Grow(Entry?[] old)
    {
        var grown = new Entry?[old.Length * 2];
        foreach (var head in old)
        {
            for (var entry = head; entry is not null; entry = entry.Next)
            {
                int index = entry.Hash & (grown.Length - 1);
                grown[index] = new Entry(entry.Hash, entry.Tags, entry.Series, grown[index]);
            }
        }

        return grown;
    }

    private sealed class Entry(int hash, KeyValuePair<string, object?>[] tags, TSeries series, Entry? next)
    {
        public int Hash { get; } = hash;

        public KeyValuePair<string, object?>[] Tags { get; } = tags;

        public TSeries Series { get; } = series;

        public Entry? Next { get; } = next;
    }
}
