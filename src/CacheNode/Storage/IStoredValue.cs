namespace KubeCache.CacheNode.Storage;

/// <summary>
/// A value as the commands of its kind read and edit it in place, segmented or not
/// (<see cref="HashValue"/>, <see cref="StringValue"/>): what the store reads for
/// <see cref="CacheStore.GetHash"/> and <see cref="CacheStore.GetString"/> and hands to a
/// <see cref="StoredEdit{TValue, TState}"/>.
/// </summary>
/// <typeparam name="TSelf">The value type itself.</typeparam>
internal interface IStoredValue<TSelf>
    where TSelf : struct, IStoredValue<TSelf>
{
    /// <summary>The kind of the values this type reads.</summary>
    static abstract ValueKind Kind { get; }

    /// <summary>Bytes of the value as the store counts them.</summary>
    int Length { get; }

    /// <summary>The value of the record at <paramref name="location"/>: its segments when it has them, else its bytes.</summary>
    static abstract TSelf Of(RecordArena arena, long location);
}
