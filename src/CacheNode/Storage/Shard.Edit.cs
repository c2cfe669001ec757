namespace KubeCache.CacheNode.Storage;

/// <summary>
/// Computes a key's new value from its current one, under its shard's lock. Returns
/// <see cref="StoreStatus.Ok"/> with a <paramref name="replacement"/> to store, Ok with
/// <see cref="Replacement.None"/> to leave the key as it is, or a failure to report. An empty
/// replacement of a hash removes the key: Redis keeps no empty hash. <paramref name="state"/> carries the
/// command's arguments in and its result out, so no closure is allocated per call.
/// </summary>
public delegate StoreStatus ValueEdit<TState>(ReadOnlySpan<byte> current, bool exists, ref TState state, out Replacement replacement)
    where TState : allows ref struct;

/// <summary>
/// Computes a hash's or a string's new value from its current one (<c>default</c>, empty, when
/// the key is missing), under its shard's lock, as <see cref="ValueEdit{TState}"/> does for any
/// value of bytes: <see cref="HashValue.With"/>, <see cref="HashValue.Without"/> and
/// <see cref="StringValue.Overwritten"/> make the replacement, a segmented one included.
/// </summary>
internal delegate StoreStatus StoredEdit<TValue, TState>(TValue current, ref TState state, out Replacement replacement)
    where TValue : struct, IStoredValue<TValue>
    where TState : allows ref struct;

/// <summary>Read-modify-write commands that build a new value (SETRANGE, SETBIT, INCRBYFLOAT), and the rest of the keyspace commands that need one lock.</summary>
internal sealed partial class Shard
{
    /// <summary>
    /// Runs <paramref name="edit"/> on the key's value, which must be of <paramref name="kind"/>, and
    /// stores what it returns, keeping the entry's TTL.
    /// </summary>
    public StoreStatus Edit<TState>(ReadOnlySpan<byte> key, int hash, ValueKind kind, ref TState state, ValueEdit<TState> edit)
        where TState : allows ref struct
    {
        lock (_lock)
        {
            int slot = FindLive(key, hash);
            if (IsOtherKind(slot, kind))
            {
                return StoreStatus.WrongType;
            }

            ReadOnlySpan<byte> current = slot >= 0 ? ValueOf(slot).Span : [];
            StoreStatus status = edit(current, slot >= 0, ref state, out Replacement replacement);
            return Store(key, hash, slot, kind, current.Length, status, replacement);
        }
    }

    /// <summary>Runs <paramref name="edit"/> on the key's hash or string, as <see cref="Edit"/> does on any value of bytes.</summary>
    public StoreStatus EditValue<TValue, TState>(ReadOnlySpan<byte> key, int hash, ref TState state, StoredEdit<TValue, TState> edit)
        where TValue : struct, IStoredValue<TValue>
        where TState : allows ref struct
    {
        lock (_lock)
        {
            int slot = FindLive(key, hash);
            if (IsOtherKind(slot, TValue.Kind))
            {
                return StoreStatus.WrongType;
            }

            TValue current = slot >= 0 ? ValueOf<TValue>(slot) : default;
            StoreStatus status = edit(current, ref state, out Replacement replacement);
            return Store(key, hash, slot, TValue.Kind, current.Length, status, replacement);
        }
    }

    /// <summary>
    /// Stores what an edit returned, held to --max-value-bytes, and gives its rented buffer back:
    /// nothing on a failure or <see cref="Replacement.None"/>, and an empty hash removes the key.
    /// </summary>
    private StoreStatus Store(ReadOnlySpan<byte> key, int hash, int slot, ValueKind kind, int currentLength, StoreStatus status, Replacement replacement)
    {
        try
        {
            if (status != StoreStatus.Ok || !replacement.HasValue)
            {
                return status;
            }

            long length = replacement.LengthAfter(currentLength);
            if (kind == ValueKind.Hash && length == 0)
            {
                if (slot >= 0)
                {
                    Remove(slot);
                    CompactIfNeeded();
                }

                return StoreStatus.Ok;
            }

            return length > _options.MaxValueBytes ? StoreStatus.ValueTooLarge
                : WriteModified(key, hash, slot, replacement.Span, replacement.Appends, kind, replacement.Segments);
        }
        finally
        {
            replacement.Return();
        }
    }

    /// <summary>
    /// Sets the entry's expiry when <paramref name="condition"/> holds (EXPIRE's NX, XX, GT, LT); an
    /// expiry in the past deletes the key. <see cref="StoreStatus.NotSet"/> when the condition fails.
    /// </summary>
    public StoreStatus SetExpiry(ReadOnlySpan<byte> key, int hash, Expiry expiry, ExpiryCondition condition)
    {
        lock (_lock)
        {
            int slot = FindLive(key, hash);
            if (slot < 0)
            {
                return StoreStatus.NotFound;
            }

            long current = ExpiresAtOf(slot);
            long expiresAt = ResolveExpiry(expiry, current);
            // No TTL counts as an infinite one, as in Redis: GT never beats it, LT always does.
            bool holds = (!condition.HasFlag(ExpiryCondition.IfNone) || current == 0)
                && (!condition.HasFlag(ExpiryCondition.IfSet) || current != 0)
                && (!condition.HasFlag(ExpiryCondition.IfLater) || (current != 0 && expiresAt > current))
                && (!condition.HasFlag(ExpiryCondition.IfEarlier) || current == 0 || expiresAt < current);
            if (!holds)
            {
                return StoreStatus.NotSet;
            }

            if (expiresAt != 0 && expiresAt <= Now())
            {
                Remove(slot);
                CompactIfNeeded();
            }
            else
            {
                SetExpiresAt(slot, expiresAt);
            }

            return StoreStatus.Ok;
        }
    }

    /// <summary>A live key picked at random (RANDOMKEY), or null when the shard has none; expired entries met on the way are removed.</summary>
    public byte[]? RandomKey(Random random)
    {
        lock (_lock)
        {
            long now = Now();
            while (_count > 0)
            {
                int slot = random.Next(_highWater);
                while (At(slot).IsFree)
                {
                    slot = slot + 1 == _highWater ? 0 : slot + 1;
                }

                if (!IsExpired(slot, now))
                {
                    return KeyOf(slot).ToArray();
                }

                Remove(slot);
                _expirations++;
            }

            return null;
        }
    }
}

/// <summary>Which entries an EXPIRE applies to (Redis 7's NX, XX, GT and LT options); every flag given must hold.</summary>
[Flags]
public enum ExpiryCondition
{
    Always = 0,

    /// <summary>NX: only an entry without TTL.</summary>
    IfNone = 1,

    /// <summary>XX: only an entry with a TTL.</summary>
    IfSet = 2,

    /// <summary>GT: only when the new expiry is later than the current one (never for an entry without TTL).</summary>
    IfLater = 4,

    /// <summary>LT: only when the new expiry is earlier than the current one (always for an entry without TTL).</summary>
    IfEarlier = 8,
}
