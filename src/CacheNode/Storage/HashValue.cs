namespace KubeCache.CacheNode.Storage;

/// <summary>
/// A hash as a command reads and edits it: one value holding its <see cref="HashFields"/>
/// encoding (at most <see cref="SegmentedHash.MinBytes"/> of it, walked) or a
/// <see cref="SegmentedHash"/> (larger, one segment walked). A missing key reads as the empty
/// hash (<c>default</c>). Either way it never changes once read, so it is used without the shard's lock.
/// </summary>
internal readonly struct HashValue : IStoredValue<HashValue>
{
    private readonly ReadOnlyMemory<byte> _encoded;
    private readonly SegmentedHash? _segments;

    public HashValue(ReadOnlyMemory<byte> encoded) => _encoded = encoded;

    public HashValue(SegmentedHash segments) => _segments = segments;

    public static ValueKind Kind => ValueKind.Hash;

    /// <summary>The hash's segments when it is kept segmented; null when it is one value.</summary>
    public SegmentedHash? Segments => _segments;

    public int Count => _segments?.Count ?? HashFields.Count(_encoded.Span);

    /// <summary>Bytes of the encoding: the value's length as the store counts it.</summary>
    public int Length => _segments?.Length ?? _encoded.Length;

    public static HashValue Of(RecordArena arena, long location) =>
        arena.Segments(location) is SegmentedHash segments ? new HashValue(segments) : new HashValue(arena.RecordValue(location));

    public bool TryGet(ReadOnlySpan<byte> field, out ReadOnlySpan<byte> value) =>
        _segments is not null ? _segments.TryGet(field, out value) : HashFields.TryGet(_encoded.Span, field, out value);

    /// <summary>A pair drawn uniformly (HRANDFIELD without a count); the hash must hold one.</summary>
    public HashFields.Pair RandomPair(Random random)
    {
        if (_segments is not null)
        {
            return _segments.RandomPair(random);
        }

        HashFields.Enumerator pairs = HashFields.Enumerate(_encoded.Span);
        for (int skip = random.Next(Count); skip >= 0; skip--)
        {
            pairs.MoveNext();
        }

        return pairs.Current;
    }

    /// <summary>Every pair as slices of the hash's arrays, for picking by index.</summary>
    public (ReadOnlyMemory<byte> Field, ReadOnlyMemory<byte> Value)[] ToPairs() =>
        _segments is null ? HashFields.ToArray(_encoded) : [.. _segments.Encodings().SelectMany(HashFields.ToArray)];

    /// <summary>The hash with <paramref name="updates"/> set (<see cref="HashFields.With"/>); <paramref name="added"/> counts the new fields.</summary>
    public Replacement With<TPairs>(ref TPairs updates, out int added)
        where TPairs : IFieldPairs, allows ref struct =>
        _segments is not null ? _segments.With(ref updates, out added) : HashFields.With(_encoded.Span, ref updates, out added);

    /// <summary>The hash without the fields of <paramref name="fields"/> (<see cref="HashFields.Without"/>); <paramref name="removed"/> counts those it had.</summary>
    public Replacement Without<TPairs>(ref TPairs fields, out int removed)
        where TPairs : IFieldPairs, allows ref struct =>
        _segments is not null ? _segments.Without(ref fields, out removed) : HashFields.Without(_encoded.Span, ref fields, out removed);

    public Enumerator GetEnumerator() => new(_encoded.Span, _segments);

    /// <summary>Walks the pairs in the hash's order without allocating.</summary>
    public ref struct Enumerator
    {
        private HashFields.Enumerator _encoded;
        private SegmentedHash.Enumerator _segments;
        private readonly bool _segmented;

        public Enumerator(ReadOnlySpan<byte> encoded, SegmentedHash? segments)
        {
            _encoded = HashFields.Enumerate(encoded);
            _segmented = segments is not null;
            if (segments is not null)
            {
                _segments = segments.Enumerate();
            }
        }

        public readonly HashFields.Pair Current => _segmented ? _segments.Current : _encoded.Current;

        public bool MoveNext() => _segmented ? _segments.MoveNext() : _encoded.MoveNext();
    }
}
