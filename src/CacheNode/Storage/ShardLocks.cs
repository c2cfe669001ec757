namespace KubeCache.CacheNode.Storage;

/// <summary>
/// The locks of several shards, held together so a transaction's commands run with no other
/// client's command on those shards in between. Taken in shard order (so two holders cannot
/// deadlock) and released on <see cref="Dispose"/>, on the thread that took them. Store calls
/// made meanwhile on the same thread enter the held locks again, which <see cref="Lock"/> allows.
/// </summary>
public readonly struct ShardLocks : IDisposable
{
    private readonly Lock[] _held;

    internal ShardLocks(Lock[] held)
    {
        _held = held;
        foreach (Lock shardLock in _held)
        {
            shardLock.Enter();
        }
    }

    public void Dispose()
    {
        for (int i = (_held?.Length ?? 0) - 1; i >= 0; i--)
        {
            _held![i].Exit();
        }
    }
}
