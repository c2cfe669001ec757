namespace KubeCache.CacheNode.Storage;

/// <summary>
/// The hash behind shard choice and bucket chains. It is seeded per process (HashCode's random
/// seed), so nobody can pick keys that collide on purpose; it is never used across processes.
/// </summary>
internal static class KeyHasher
{
    public static int Hash(ReadOnlySpan<byte> key)
    {
        var hash = new HashCode();
        hash.AddBytes(key);
        return hash.ToHashCode();
    }
}
