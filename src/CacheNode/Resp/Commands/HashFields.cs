using KubeCache.CacheNode.Storage;

namespace KubeCache.CacheNode.Resp.Commands;

/// <summary>
/// A hash as the store keeps it: one value holding its field-value pairs in insertion order, each
/// part a 7-bit variable-length length followed by its bytes. Small hashes are the common case (a
/// distributed-cache entry has three fields), and one record costs one slot and one arena record
/// whatever the field count; the whole encoding counts against --max-value-bytes, which bounds the
/// linear scans below. Insertion order is also the order Redis answers for hashes of this size.
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
    /// value wins, as in Redis. <paramref name="added"/> counts the new fields.
    /// </summary>
    public static byte[] With<TPairs>(ReadOnlySpan<byte> encoded, ref TPairs updates, out int added)
        where TPairs : IFieldPairs, allows ref struct
    {
        var output = new ArrayBufferWriter<byte>(encoded.Length + 64);
        bool[] written = new bool[updates.Count];
        foreach (Pair pair in Enumerate(encoded))
        {
            int last = LastIndexOf(ref updates, pair.Field, updates.Count - 1);
            Write(output, pair.Field, last >= 0 ? updates.Value(last) : pair.Value);
            MarkWritten(ref updates, written, pair.Field);
        }

        added = 0;
        for (int i = 0; i < updates.Count; i++)
        {
            if (!written[i])
            {
                ReadOnlySpan<byte> field = updates.Field(i);
                Write(output, field, updates.Value(LastIndexOf(ref updates, field, updates.Count - 1)));
                MarkWritten(ref updates, written, field);
                added++;
            }
        }

        return output.WrittenSpan.ToArray();
    }

    /// <summary>The hash without the fields of <paramref name="fields"/> (their values are ignored); <paramref name="removed"/> counts those it had.</summary>
    public static byte[] Without<TPairs>(ReadOnlySpan<byte> encoded, ref TPairs fields, out int removed)
        where TPairs : IFieldPairs, allows ref struct
    {
        var output = new ArrayBufferWriter<byte>(encoded.Length);
        removed = 0;
        foreach (Pair pair in Enumerate(encoded))
        {
            if (LastIndexOf(ref fields, pair.Field, fields.Count - 1) >= 0)
            {
                removed++;
            }
            else
            {
                Write(output, pair.Field, pair.Value);
            }
        }

        return output.WrittenSpan.ToArray();
    }

    private static int LastIndexOf<TPairs>(ref TPairs pairs, ReadOnlySpan<byte> field, int from)
        where TPairs : IFieldPairs, allows ref struct
    {
        for (int i = from; i >= 0; i--)
        {
            if (pairs.Field(i).SequenceEqual(field))
            {
                return i;
            }
        }

        return -1;
    }

    private static void MarkWritten<TPairs>(ref TPairs pairs, bool[] written, ReadOnlySpan<byte> field)
        where TPairs : IFieldPairs, allows ref struct
    {
        for (int i = 0; i < pairs.Count; i++)
        {
            written[i] |= pairs.Field(i).SequenceEqual(field);
        }
    }

    private static void Write(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> field, ReadOnlySpan<byte> value)
    {
        WritePart(output, field);
        WritePart(output, value);
    }

    private static void WritePart(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> part)
    {
        output.Advance(VarLength.Write(output.GetSpan(VarLength.MaxBytes), part.Length));
        output.Write(part);
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

        private static ReadOnlySpan<byte> ReadPart(scoped ref ReadOnlySpan<byte> rest)
        {
            int length = VarLength.Read(rest, out int used);
            ReadOnlySpan<byte> part = rest.Slice(used, length);
            rest = rest[(used + length)..];
            return part;
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
