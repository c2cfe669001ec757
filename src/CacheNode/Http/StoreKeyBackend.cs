using KubeCache.CacheNode.Cluster;
using KubeCache.CacheNode.Options;
using KubeCache.CacheNode.Resp;
using KubeCache.CacheNode.Storage;
using KubeCache.ClientContract.Http;
using KubeCache.HttpContract;

namespace KubeCache.CacheNode.Http;

/// <summary>
/// The key API over this node's store, each request judged by the ring in use first (see the
/// .Fencing part); a write marks the RESP connections WATCHing its key first, as a RESP write does.
/// </summary>
public sealed partial class StoreKeyBackend(CacheStore store, NodeOptions options, NodeRing ring, KeyPuller puller, WatchedKeys watches) : IKeyBackend
{
    public string? CheckLimits(int keyBytes, int valueBytes)
    {
        StoreStatus limit = keyBytes > options.MaxKeyBytes ? StoreStatus.KeyTooLarge
            : valueBytes > options.MaxValueBytes ? StoreStatus.ValueTooLarge
            : StoreStatus.Ok;
        return limit == StoreStatus.Ok ? null : StoreStatusMessages.Describe(limit, store.Options, keyBytes, Math.Max(valueBytes, 0));
    }

    /// <summary>Stops at the first item the store refuses; the items before it stay written.</summary>
    public async ValueTask<HttpFailure?> SetAsync(IReadOnlyList<JsonItem> items, CancellationToken cancellationToken)
    {
        using var gate = new GateScope();
        if (await AdmitAsync(KeysOf(items), writes: true, gate, cancellationToken).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        foreach (JsonItem item in items)
        {
            Expiry expiry = KeyEndpoints.TtlMilliseconds(item) is { } ttl ? Expiry.After(ttl) : Expiry.Default;
            watches.Touch(item.Key);
            StoreStatus status = store.Set(item.Key, item.Value!, expiry);
            if (status != StoreStatus.Ok)
            {
                string message = StoreStatusMessages.Describe(status, store.Options, item.Key.Length, item.Value!.Length) ?? status.ToString();
                int code = status == StoreStatus.EntryTooLarge ? StatusCodes.Status507InsufficientStorage : StatusCodes.Status400BadRequest;
                return new HttpFailure(code, message + ".");
            }
        }

        return null;
    }

    private static byte[][] KeysOf(IReadOnlyList<JsonItem> items)
    {
        var keys = new byte[items.Count][];
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = items[i].Key;
        }

        return keys;
    }

    /// <summary>The value's bytes stay intact after the ring gate is left: the store never overwrites a record in place.</summary>
    public async ValueTask<KeyRead> GetAsync(byte[] key, CancellationToken cancellationToken)
    {
        using var gate = new GateScope();
        if (await AdmitAsync([key], writes: false, gate, cancellationToken).ConfigureAwait(false) is { } refused)
        {
            return new KeyRead(null, refused);
        }

        return store.Get(key, out ReadOnlyMemory<byte> value) switch
        {
            StoreStatus.Ok => new KeyRead(value, null),
            StoreStatus.WrongType => new KeyRead(null, HttpFailure.HoldsHash),
            _ => new KeyRead(KeyRead.Missing, null),
        };
    }

    /// <summary>A key holding a hash reads as missing, as MGET answers nil for it.</summary>
    public async ValueTask<HttpFailure?> GetManyAsync(IReadOnlyList<byte[]> keys, ReadOnlyMemory<byte>?[] values, CancellationToken cancellationToken)
    {
        using var gate = new GateScope();
        if (await AdmitAsync(keys, writes: false, gate, cancellationToken).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        for (int i = 0; i < keys.Count; i++)
        {
            values[i] = store.Get(keys[i], out ReadOnlyMemory<byte> value) == StoreStatus.Ok ? value : KeyRead.Missing;
        }

        return null;
    }

    public async ValueTask<(bool Deleted, HttpFailure? Failure)> DeleteAsync(byte[] key, CancellationToken cancellationToken)
    {
        using var gate = new GateScope();
        if (await AdmitAsync([key], writes: true, gate, cancellationToken).ConfigureAwait(false) is { } refused)
        {
            return (false, refused);
        }

        watches.Touch(key);
        return (store.Delete(key) == StoreStatus.Ok, null);
    }
}
