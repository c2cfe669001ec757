using System.Buffers;

namespace KubeCache.Router.Upstream;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> over one array rented from <see cref="ArrayPool{T}.Shared"/>,
/// grown by renting a larger one; <see cref="Detach"/> hands the array to the request. One
/// instance per thread is reused, so encoding a request allocates nothing in steady state.
/// </summary>
internal sealed class PooledBufferWriter : IBufferWriter<byte>
{
    /// <summary>Smallest buffer rented, in bytes: a GET or SET of short keys fits.</summary>
    public const int MinimumBytes = 256;

    [ThreadStatic]
    private static PooledBufferWriter? t_current;

    private byte[]? _buffer;
    private int _written;

    /// <summary>This thread's writer, holding a fresh buffer of at least <paramref name="initialBytes"/>.</summary>
    public static PooledBufferWriter Rent(int initialBytes)
    {
        PooledBufferWriter writer = t_current ??= new PooledBufferWriter();
        writer.Abandon();
        writer._buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initialBytes, MinimumBytes));
        return writer;
    }

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Buffer.Length - _written);
        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0) => Reserve(sizeHint).AsMemory(_written);

    public Span<byte> GetSpan(int sizeHint = 0) => Reserve(sizeHint).AsSpan(_written);

    /// <summary>Hands over the array and the number of bytes written; the caller returns the array to the pool.</summary>
    public byte[] Detach(out int written)
    {
        byte[] buffer = Buffer;
        written = _written;
        _buffer = null;
        _written = 0;
        return buffer;
    }

    /// <summary>Returns the array, unless it was detached, e.g. after encoding failed.</summary>
    public void Abandon()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }

        _written = 0;
    }

    private byte[] Buffer => _buffer ?? ThrowHelper.ThrowDisposed<byte[]>(nameof(PooledBufferWriter));

    private byte[] Reserve(int sizeHint)
    {
        byte[] buffer = Buffer;
        int needed = Math.Max(sizeHint, 1);
        if (buffer.Length - _written >= needed)
        {
            return buffer;
        }

        long size = Math.Max((long)buffer.Length * 2, (long)_written + needed);
        byte[] larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(size, Array.MaxLength));
        buffer.AsSpan(0, _written).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        _buffer = larger;
        return larger;
    }
}
