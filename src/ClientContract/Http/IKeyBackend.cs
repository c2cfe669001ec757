using KubeCache.HttpContract;

namespace KubeCache.ClientContract.Http;

/// <summary>A value read for a key: the bytes (null: a miss) or the reason the read was refused.</summary>
public readonly record struct KeyRead(ReadOnlyMemory<byte>? Value, HttpFailure? Failure)
{
    /// <summary>
    /// No value. Written out because a bare <c>null</c> beside a <see cref="ReadOnlyMemory{T}"/>
    /// converts through its array conversion to an empty value, not to a miss.
    /// </summary>
    public static readonly ReadOnlyMemory<byte>? Missing;
}

/// <summary>
/// What stands behind the key API: a node's store or a router's key router. The contract
/// (<see cref="KeyEndpoints"/>) parses and validates requests and writes every reply; a backend
/// only does the work and says when it cannot.
/// </summary>
public interface IKeyBackend
{
    /// <summary>
    /// The limit a key (and its value, when <paramref name="valueBytes"/> is not negative) breaks,
    /// worded for the client without a full stop; null when it breaks none or when the backend
    /// leaves the limits to the store behind it.
    /// </summary>
    string? CheckLimits(int keyBytes, int valueBytes);

    /// <summary>Stores every item (already validated); null, or why they could not all be stored.</summary>
    ValueTask<HttpFailure?> SetAsync(IReadOnlyList<JsonItem> items, CancellationToken cancellationToken);

    ValueTask<KeyRead> GetAsync(byte[] key, CancellationToken cancellationToken);

    /// <summary>Reads every key into <paramref name="values"/> (null: missing); null, or why the whole batch was refused.</summary>
    ValueTask<HttpFailure?> GetManyAsync(IReadOnlyList<byte[]> keys, ReadOnlyMemory<byte>?[] values, CancellationToken cancellationToken);

    /// <summary>Deletes the key: whether it was there, or why the request was refused.</summary>
    ValueTask<(bool Deleted, HttpFailure? Failure)> DeleteAsync(byte[] key, CancellationToken cancellationToken);
}
