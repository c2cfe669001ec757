using System.Buffers.Text;
using KubeCache.Protocol;

namespace KubeCache.CacheNode.Storage;

/// <summary>Read-modify-write operations that must see and change an entry under one lock.</summary>
internal sealed partial class Shard
{
    /// <summary>Removes the entry's TTL; <see cref="StoreStatus.NotSet"/> when it had none.</summary>
    public StoreStatus Persist(ReadOnlySpan<byte> key, int hash)
    {
        lock (_lock)
        {
            int slot = FindLive(key, hash);
            if (slot < 0)
            {
                return StoreStatus.NotFound;
            }

            if (ExpiresAtOf(slot) == 0)
            {
                return StoreStatus.NotSet;
            }

            SetExpiresAt(slot, 0);
            return StoreStatus.Ok;
        }
    }

    /// <summary>Reads the value and changes its expiry in one step (GETEX).</summary>
    public StoreStatus GetAndSetExpiry(ReadOnlySpan<byte> key, int hash, Expiry expiry, out ReadOnlyMemory<byte> value)
    {
        lock (_lock)
        {
            int slot = FindForRead(key, hash);
            value = default;
            if (slot < 0)
            {
                return StoreStatus.NotFound;
            }

            if (IsOtherKind(slot, ValueKind.String))
            {
                return StoreStatus.WrongType;
            }

            value = ValueOf(slot);
            long expiresAt = ResolveExpiry(expiry, ExpiresAtOf(slot));
            if (expiresAt != 0 && expiresAt <= Now())
            {
                Remove(slot);
            }
            else
            {
                SetExpiresAt(slot, expiresAt);
                MoveToFront(slot);
            }

            return StoreStatus.Ok;
        }
    }

    /// <summary>The bytes the entry is charged (<see cref="ChargeOf(int, long)"/>), without touching the LRU order.</summary>
    public StoreStatus UsageOf(ReadOnlySpan<byte> key, int hash, out long bytes)
    {
        lock (_lock)
        {
            int slot = FindLive(key, hash);
            bytes = slot >= 0 ? ChargeOf(slot) : 0;
            return slot >= 0 ? StoreStatus.Ok : StoreStatus.NotFound;
        }
    }

    /// <summary>Remaining time to live in milliseconds, or -1 when the key never expires.</summary>
    public StoreStatus TimeToLive(ReadOnlySpan<byte> key, int hash, out long milliseconds)
    {
        lock (_lock)
        {
            int slot = FindLive(key, hash);
            if (slot < 0)
            {
                milliseconds = 0;
                return StoreStatus.NotFound;
            }

            long expiresAt = ExpiresAtOf(slot);
            milliseconds = expiresAt == 0 ? -1 : Math.Max(expiresAt - Now(), 0);
            return StoreStatus.Ok;
        }
    }

    /// <summary>
    /// Adds <paramref name="delta"/> to the integer value (INCRBY family); a missing key counts as 0
    /// and the entry keeps its TTL.
    /// </summary>
    public StoreStatus IncrementBy(ReadOnlySpan<byte> key, int hash, long delta, out long result)
    {
        lock (_lock)
        {
            int slot = FindLive(key, hash);
            long current = 0;
            if (IsOtherKind(slot, ValueKind.String))
            {
                result = 0;
                return StoreStatus.WrongType;
            }

            if (slot >= 0 && !RespInteger.TryParse(ValueOf(slot).Span, out current))
            {
                result = 0;
                return StoreStatus.NotInteger;
            }

            if ((delta > 0 && current > long.MaxValue - delta) || (delta < 0 && current < long.MinValue - delta))
            {
                result = 0;
                return StoreStatus.Overflow;
            }

            result = current + delta;
            Span<byte> digits = stackalloc byte[20];
            Utf8Formatter.TryFormat(result, digits, out int length);
            return WriteModified(key, hash, slot, digits[..length], append: false, ValueKind.String);
        }
    }

    /// <summary>Appends to the value (APPEND); a missing key is created. Returns the new length.</summary>
    public StoreStatus Append(ReadOnlySpan<byte> key, int hash, ReadOnlySpan<byte> suffix, out long length)
    {
        lock (_lock)
        {
            int slot = FindLive(key, hash);
            if (IsOtherKind(slot, ValueKind.String))
            {
                length = 0;
                return StoreStatus.WrongType;
            }

            StringValue current = slot >= 0 ? ValueOf<StringValue>(slot) : default;
            length = current.Length + (long)suffix.Length;
            if (length > _options.MaxValueBytes)
            {
                return StoreStatus.ValueTooLarge;
            }

            // A string that stays short is copied once, into its new record; a long one is chunked.
            return current.Chunks is null && length <= SegmentedString.MinBytes
                ? WriteModified(key, hash, slot, suffix, append: true, ValueKind.String)
                : Store(key, hash, slot, ValueKind.String, current.Length, StoreStatus.Ok, current.Overwritten(current.Length, suffix));
        }
    }

    /// <summary>Whether the live entry in <paramref name="slot"/> (none when negative) holds a value of another kind.</summary>
    private bool IsOtherKind(int slot, ValueKind kind) => slot >= 0 && KindOf(slot) != kind;

    /// <summary>
    /// Stores a read-modify-write result, keeping the entry's expiry: the old value (when appending)
    /// followed by <paramref name="tail"/>, or <paramref name="segments"/>.
    /// </summary>
    private StoreStatus WriteModified(ReadOnlySpan<byte> key, int hash, int slot, ReadOnlySpan<byte> tail, bool append, ValueKind kind, SegmentedValue? segments = null)
    {
        ReadOnlySpan<byte> head = append && slot >= 0 ? ValueOf(slot).Span : [];
        if (ChargeOf(key, head, tail, segments) > _capacityBytes)
        {
            return StoreStatus.EntryTooLarge;
        }

        long expiresAt = slot >= 0 ? ExpiresAtOf(slot) : ResolveExpiry(Expiry.Default, 0);
        Write(slot, key, hash, head, tail, expiresAt, kind, segments);
        return StoreStatus.Ok;
    }
}
