namespace KubeCache.CacheNode.Storage;

/// <summary>
/// The locks of the shards a multi-key command touches, taken in shard order (so two such
/// commands never wait on each other in a circle) and released on dispose. Shard locks are
/// reentrant: the store's own calls made while they are held run as usual.
/// </summary>
public sealed class KeyLocks : IDisposable
{
    private readonly CacheStore _store;
    private readonly SortedSet<int> _shards = [];
    private readonly List<Lock> _held = [];

    internal KeyLocks(CacheStore store) => _store = store;

    public KeyLocks Add(ReadOnlySpan<byte> key)
    {
        _shards.Add(_store.ShardIndexOf(key));
        return this;
    }

    public KeyLocks Enter()
    {
        foreach (int shard in _shards)
        {
            Lock shardLock = _store.Shards[shard].SyncRoot;
            shardLock.Enter();
            _held.Add(shardLock);
        }

        return this;
    }

    public void Dispose()
    {
        for (int i = _held.Count - 1; i >= 0; i--)
        {
            _held[i].Exit();
        }

        _held.Clear();
    }
}
