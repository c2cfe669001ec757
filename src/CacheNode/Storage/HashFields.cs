namespace KubeCache.CacheNode.Storage;

/// <summary>
/// A hash as the store keeps it: one value holding its field-value pairs in insertion order, each
/// part a 7-bit variable-length length followed by its bytes. Small hashes are the common case (a
/// distributed-cache entry has three fields), and one record costs one slot and one arena record
/// whatever the field count; the whole encoding counts against --max-value-bytes, which bounds the
/// linear scans below (a hash of more than <see cref="SegmentedHash.MinBytes"/> is kept in
/// segments of this encoding, and a scan walks one of them).
/// Insertion order is also the order Redis answers for hashes of this size.
/// </summary>
internal static class HashFields
{
    public static Enumerator Enumerate(ReadOnlySpan<byte> encoded) => new(encoded);

    public static int Count(ReadOnlySpan<byte> encoded)
    {
        int count = 0;
        foreach (Pair _ in Enumerate(encoded))
        {
            count++;
        }

        return count;
    }

    public static bool TryGet(ReadOnlySpan<byte> encoded, ReadOnlySpan<byte> field, out ReadOnlySpan<byte> value)
    {
        foreach (Pair pair in Enumerate(encoded))
        {
            if (pair.Field.SequenceEqual(field))
            {
                value = pair.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>Every pair as slices of <paramref name="encoded"/>, for picking by index.</summary>
    public static (ReadOnlyMemory<byte> Field, ReadOnlyMemory<byte> Value)[] ToArray(ReadOnlyMemory<byte> encoded)
    {
        var pairs = new List<(ReadOnlyMemory<byte>, ReadOnlyMemory<byte>)>();
        foreach (Pair pair in Enumerate(encoded.Span))
        {
            encoded.Span.Overlaps(pair.Field, out int field);
            encoded.Span.Overlaps(pair.Value, out int value);
            pairs.Add((encoded.Slice(field, pair.Field.Length), encoded.Slice(value, pair.Value.Length)));
        }

        return [.. pairs];
    }

    /// <summary>
    /// The hash with <paramref name="updates"/> applied: a field already present keeps its place
    /// and takes the new value, a new one goes to the end; when a field is given twice the last
    /// value wins and the first place counts, as in Redis. <paramref name="added"/> counts the new
    /// fields. The pairs that do not change are copied as runs of bytes, not re-encoded, into a
    /// rented buffer the store returns, so a write to a large hash costs one walk of its lengths
    /// and one copy. When no field can be in the hash (the way a hash grows), only the new pairs
    /// are written, and the store copies them after the hash into the new record
    /// (<see cref="Replacement.Appended"/>): no walk, and the hash is copied once.
    /// </summary>
    public static Replacement With<TPairs>(ReadOnlySpan<byte> encoded, ref TPairs updates, out int added)
        where TPairs : IFieldPairs, allows ref struct
    {
        int count = updates.Count;
        using FieldPositions positions = FieldPositions.Of(ref updates);
        // Each distinct field is written once, at its first mention, with its last value: by its
        // first index, the index of that value while the field is still to be written, else -1.
        int[] rentedLasts = ArrayPool<int>.Shared.Rent(count);
        Span<int> pending = rentedLasts.AsSpan(0, count);
        int bound = encoded.Length;
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> field = updates.Field(i);
            positions.TryFind(ref updates, field, out int first, out int last);
            pending[i] = first == i ? last : -1;
            bound += first == i ? PairSize(field, updates.Value(last)) : 0;
        }

        bool appends = !AnyIn(encoded, ref updates, positions);
        byte[] rented = ArrayPool<byte>.Shared.Rent(Math.Max(appends ? bound - encoded.Length : bound, 1));
        try
        {
            var output = new Output(rented);
            ReadOnlySpan<byte> rest = appends ? [] : encoded;
            int run = appends ? encoded.Length : 0;
            while (!rest.IsEmpty)
            {
                int start = encoded.Length - rest.Length;
                ReadOnlySpan<byte> field = ReadPart(ref rest);
                ReadPart(ref rest);
                if (positions.TryFind(ref updates, field, out int first, out int last))
                {
                    output.Copy(encoded[run..start]);
                    output.Pair(field, updates.Value(last));
                    pending[first] = -1;
                    run = encoded.Length - rest.Length;
                }
            }

            output.Copy(encoded[run..]);
            added = 0;
            for (int i = 0; i < count; i++)
            {
                if (pending[i] >= 0)
                {
                    output.Pair(updates.Field(i), updates.Value(pending[i]));
                    added++;
                }
            }

            return appends ? output.ToAppended() : output.ToReplacement();
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(rented);
            throw;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(rentedLasts);
        }
    }

    /// <summary>
    /// The hash without the fields of <paramref name="fields"/> (their values are ignored), in a
    /// rented buffer the store returns; <paramref name="removed"/> counts those it had, and when
    /// it had none the hash stays as it is (<see cref="Replacement.None"/>).
    /// </summary>
    public static Replacement Without<TPairs>(ReadOnlySpan<byte> encoded, ref TPairs fields, out int removed)
        where TPairs : IFieldPairs, allows ref struct
    {
        using FieldPositions positions = FieldPositions.Of(ref fields);
        byte[] rented = ArrayPool<byte>.Shared.Rent(Math.Max(encoded.Length, 1));
        bool kept = false;
        try
        {
            var output = new Output(rented);
            ReadOnlySpan<byte> rest = encoded;
            int run = 0;
            removed = 0;
            while (!rest.IsEmpty)
            {
                int start = encoded.Length - rest.Length;
                ReadOnlySpan<byte> field = ReadPart(ref rest);
                ReadPart(ref rest);
                if (positions.TryFind(ref fields, field, out _, out _))
                {
                    output.Copy(encoded[run..start]);
                    run = encoded.Length - rest.Length;
                    removed++;
                }
            }

            output.Copy(encoded[run..]);
            kept = removed > 0;
            return kept ? output.ToReplacement() : Replacement.None;
        }
        finally
        {
            if (!kept)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// False when no field of <paramref name="pairs"/> is in the hash, so adding them (the way a
    /// hash grows) needs no walk of its pairs. A few fields are each searched for, with its length
    /// before it, anywhere in the encoding (a vectorised search that may find one where no field
    /// starts: then the walk finds nothing to change); more are looked up, pair by pair, in their
    /// table, one walk whatever their number.
    /// </summary>
    private static bool AnyIn<TPairs>(ReadOnlySpan<byte> encoded, ref TPairs pairs, FieldPositions positions)
        where TPairs : IFieldPairs, allows ref struct
    {
        if (positions.Indexed)
        {
            foreach (Pair pair in Enumerate(encoded))
            {
                if (positions.TryFind(ref pairs, pair.Field, out _, out _))
                {
                    return true;
                }
            }

            return false;
        }

        Span<byte> needle = stackalloc byte[VarLength.MaxBytes + 64];
        for (int i = 0; i < pairs.Count; i++)
        {
            ReadOnlySpan<byte> field = pairs.Field(i);
            scoped ReadOnlySpan<byte> pattern = field;
            if (field.Length <= 64)
            {
                int used = VarLength.Write(needle, field.Length);
                field.CopyTo(needle[used..]);
                pattern = needle[..(used + field.Length)];
            }

            if (encoded.IndexOf(pattern) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    private static int PairSize(ReadOnlySpan<byte> field, ReadOnlySpan<byte> value) =>
        VarLength.Size(field.Length) + field.Length + VarLength.Size(value.Length) + value.Length;

    /// <summary>Reads one length-prefixed part (a field or a value) off the front of <paramref name="rest"/>.</summary>
    internal static ReadOnlySpan<byte> ReadPart(scoped ref ReadOnlySpan<byte> rest)
    {
        int length = VarLength.Read(rest, out int used);
        ReadOnlySpan<byte> part = rest.Slice(used, length);
        rest = rest[(used + length)..];
        return part;
    }

    /// <summary>The new encoding, built in a rented buffer large enough for it.</summary>
    private ref struct Output(byte[] buffer)
    {
        private int _written;

        public void Copy(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(buffer.AsSpan(_written));
            _written += bytes.Length;
        }

        public void Pair(ReadOnlySpan<byte> field, ReadOnlySpan<byte> value)
        {
            Part(field);
            Part(value);
        }

        public readonly Replacement ToReplacement() => Replacement.Rented(buffer, _written);

        public readonly Replacement ToAppended() => Replacement.Appended(buffer, _written);

        private void Part(ReadOnlySpan<byte> part)
        {
            _written += VarLength.Write(buffer.AsSpan(_written), part.Length);
            Copy(part);
        }
    }

    /// <summary>One field and its value, both pointing into the encoding.</summary>
    public readonly ref struct Pair(ReadOnlySpan<byte> field, ReadOnlySpan<byte> value)
    {
        public ReadOnlySpan<byte> Field { get; } = field;

        public ReadOnlySpan<byte> Value { get; } = value;
    }

    /// <summary>Walks the pairs in order without allocating.</summary>
    public ref struct Enumerator(ReadOnlySpan<byte> encoded)
    {
        private ReadOnlySpan<byte> _rest = encoded;

        public Pair Current { get; private set; }

        public readonly Enumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_rest.IsEmpty)
            {
                return false;
            }

            ReadOnlySpan<byte> field = ReadPart(ref _rest);
            Current = new Pair(field, ReadPart(ref _rest));
            return true;
        }
    }
}

/// <summary>Field-value pairs a hash command applies (HSET's arguments, or one computed pair).</summary>
internal interface IFieldPairs
{
    int Count { get; }

    ReadOnlySpan<byte> Field(int index);

    ReadOnlySpan<byte> Value(int index);
}
