namespace KubeCache.CacheNode.Storage;

/// <summary>
/// What a failed store status means to a client, worded once for both protocols: RESP puts an
/// error code in front, HTTP sends it as the JSON message.
/// </summary>
public static class StoreStatusMessages
{
    /// <summary>The explanation of <paramref name="status"/>, or null when it is not a failure.</summary>
    public static string? Describe(StoreStatus status, StoreOptions limits, long keyLength = 0, long valueLength = 0) => status switch
    {
        StoreStatus.KeyTooLarge => $"key is {keyLength} bytes, over the limit of {limits.MaxKeyBytes} (--max-key-bytes)",
        StoreStatus.ValueTooLarge => $"value is {valueLength} bytes, over the limit of {limits.MaxValueBytes} (--max-value-bytes)",
        StoreStatus.EntryTooLarge => $"entry does not fit in a shard of {limits.ShardCapacityBytes} bytes; raise --max-memory or lower --shards",
        StoreStatus.NoRoom => "command not allowed when used memory > 'maxmemory'; a handed-off key never evicts this node's own keys",
        StoreStatus.NotInteger => "value is not an integer or out of range",
        StoreStatus.Overflow => "increment or decrement would overflow",
        StoreStatus.NotFloat => "value is not a valid float",
        StoreStatus.NotFinite => "increment would produce NaN or Infinity",
        StoreStatus.WrongType => "Operation against a key holding the wrong kind of value",
        _ => null,
    };
}
