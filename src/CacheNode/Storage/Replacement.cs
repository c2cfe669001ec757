namespace KubeCache.CacheNode.Storage;

/// <summary>
/// The value a <see cref="ValueEdit{TState}"/> stores: none, an array of its own, or the start
/// of a buffer rented from <see cref="ArrayPool{T}.Shared"/>, which the store returns once it has
/// copied the value into its record (a large hash's new encoding then costs no allocation); or
/// bytes that follow the current value (<see cref="Appended"/>), which the store copies into the
/// new record after it, so a hash that grows is copied once per write, not twice; or a
/// <see cref="SegmentedValue"/> (a large hash or string), which the store keeps as it is.
/// </summary>
public readonly struct Replacement
{
    private readonly byte[]? _buffer;
    private readonly bool _rented;

    private Replacement(SegmentedValue segments)
    {
        Segments = segments;
        Length = segments.Length;
    }

    private Replacement(byte[] buffer, int length, bool rented, bool appends = false)
    {
        _buffer = buffer;
        Length = length;
        _rented = rented;
        Appends = appends;
    }

    /// <summary>Leave the value as it is.</summary>
    public static Replacement None => default;

    public bool HasValue => _buffer is not null || Segments is not null;

    /// <summary>The new value when it is segmented; <see cref="Span"/> is then empty.</summary>
    internal SegmentedValue? Segments { get; }

    /// <summary>Bytes of <see cref="Span"/> (of <see cref="Segments"/>' bytes): the whole value, or what follows the current one when it <see cref="Appends"/>.</summary>
    public int Length { get; }

    /// <summary>The new value is the current one followed by <see cref="Span"/>.</summary>
    public bool Appends { get; }

    public ReadOnlySpan<byte> Span => _buffer is null ? default : _buffer.AsSpan(0, Length);

    public static Replacement Of(byte[] value) => new(value, value.Length, rented: false);

    /// <summary>A hash or string kept in segments (<see cref="SegmentedValue"/>).</summary>
    internal static Replacement Segmented(SegmentedValue value) => new(value);

    /// <summary>The first <paramref name="length"/> bytes of <paramref name="buffer"/>, rented from <see cref="ArrayPool{T}.Shared"/>; the store returns it.</summary>
    public static Replacement Rented(byte[] buffer, int length) => new(buffer, length, rented: true);

    /// <summary>The current value followed by the first <paramref name="length"/> bytes of <paramref name="buffer"/>, rented from <see cref="ArrayPool{T}.Shared"/>; the store returns it.</summary>
    public static Replacement Appended(byte[] buffer, int length) => new(buffer, length, rented: true, appends: true);

    /// <summary>Length of the value stored in place of one of <paramref name="currentLength"/> bytes (a long: the two may pass an int's range).</summary>
    public long LengthAfter(int currentLength) => Appends ? (long)currentLength + Length : Length;

    /// <summary>
    /// A rented copy of <paramref name="current"/>, grown with zero bytes to <paramref name="length"/>,
    /// for an edit that changes some of its bytes through <paramref name="bytes"/> (SETBIT, SETRANGE).
    /// </summary>
    public static Replacement Copy(ReadOnlySpan<byte> current, int length, out Span<byte> bytes)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        bytes = buffer.AsSpan(0, length);
        current.CopyTo(bytes);
        bytes[current.Length..].Clear();
        return Rented(buffer, length);
    }

    internal void Return()
    {
        if (_rented)
        {
            ArrayPool<byte>.Shared.Return(_buffer!);
        }
    }
}
