namespace KubeCache.CacheNode.Storage;

/// <summary>
/// A length in 7-bit groups, low group first, the top bit of each byte set while more follow: one
/// byte below 128, at most five for any int. Record headers and a hash's field list both use it,
/// so small keys, values and fields pay one byte for their length.
/// </summary>
internal static class VarLength
{
    /// <summary>The most bytes a length takes.</summary>
    public const int MaxBytes = 5;

    public static int Size(int length) => length < 0x80 ? 1 : length < 0x4000 ? 2 : length < 0x20_0000 ? 3 : length < 0x1000_0000 ? 4 : 5;

    /// <summary>Writes <paramref name="length"/> at the start of <paramref name="destination"/>; returns the bytes written.</summary>
    public static int Write(Span<byte> destination, int length)
    {
        int used = 0;
        uint remaining = (uint)length;
        while (remaining >= 0x80)
        {
            destination[used++] = (byte)(remaining | 0x80);
            remaining >>= 7;
        }

        destination[used++] = (byte)remaining;
        return used;
    }

    /// <summary>Reads the length at the start of <paramref name="source"/>; <paramref name="used"/> gets its size in bytes.</summary>
    public static int Read(ReadOnlySpan<byte> source, out int used)
    {
        byte first = source[0];
        if (first < 0x80)
        {
            used = 1;
            return first;
        }

        return ReadLonger(source, out used);
    }

    private static int ReadLonger(ReadOnlySpan<byte> source, out int used)
    {
        int length = 0;
        int shift = 0;
        used = 0;
        byte b;
        do
        {
            b = source[used++];
            length |= (b & 0x7F) << shift;
            shift += 7;
        }
        while ((b & 0x80) != 0);

        return length;
    }
}
