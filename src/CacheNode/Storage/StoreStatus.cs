namespace KubeCache.CacheNode.Storage;

/// <summary>The outcome of a store operation. A miss is a status, never an exception.</summary>
public enum StoreStatus
{
    Ok,
    NotFound,

    /// <summary>A condition (NX, XX, PERSIST on a key without TTL) was not met; nothing changed.</summary>
    NotSet,

    /// <summary>The key is longer than <see cref="StoreOptions.MaxKeyBytes"/>.</summary>
    KeyTooLarge,

    /// <summary>The value (or the value APPEND would produce) is longer than <see cref="StoreOptions.MaxValueBytes"/>.</summary>
    ValueTooLarge,

    /// <summary>The entry would not fit in its shard even with every other entry evicted.</summary>
    EntryTooLarge,

    /// <summary>A handed-off entry finds no free room, and it may not evict this node's own entries to make some.</summary>
    NoRoom,

    /// <summary>INCR/DECR on a value that is not a base-10 64-bit integer.</summary>
    NotInteger,

    /// <summary>INCR/DECR would overflow a 64-bit integer.</summary>
    Overflow,

    /// <summary>INCRBYFLOAT on a value (or with an increment) that is not a number.</summary>
    NotFloat,

    /// <summary>INCRBYFLOAT would make the value infinite or not a number.</summary>
    NotFinite,

    /// <summary>The key holds a value of another kind than the command works on (a hash for GET, a string for HGET).</summary>
    WrongType,
}

/// <summary>When a write takes effect.</summary>
public enum SetCondition
{
    Always,

    /// <summary>Only when the key is absent (SET NX, SETNX, handoff).</summary>
    IfAbsent,

    /// <summary>Only when the key is present (SET XX).</summary>
    IfPresent,
}

/// <summary>Why an entry left the cache before its owner deleted it.</summary>
public enum EvictionReason
{
    /// <summary>Its shard needed room for a write.</summary>
    Capacity,

    /// <summary>The memory watchdog shed load under GC memory pressure.</summary>
    MemoryPressure,
}
