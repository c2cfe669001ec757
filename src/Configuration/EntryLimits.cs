namespace KubeCache.Configuration;

/// <summary>
/// The node's default key and value size limits, here because the operator, which does not load
/// the node, gives a KvCluster the same defaults (as with <see cref="MemorySizing"/>): the node's
/// --max-key-bytes and --max-value-bytes, their --help defaults and the KvCluster's maxKeyBytes
/// and maxValueBytes defaults all read these.
/// </summary>
public static class EntryLimits
{
    /// <summary>Default --max-key-bytes, in bytes: 256, the reference implementations' limit.</summary>
    public const int DefaultMaxKeyBytes = 256;

    /// <summary>Default --max-value-bytes, in bytes: 1 MiB.</summary>
    public const int DefaultMaxValueBytes = 1024 * 1024;
}
