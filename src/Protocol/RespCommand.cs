using System.Buffers;
using System.Text;

namespace KubeCache.Protocol;

/// <summary>
/// The arguments of one command, filled by <see cref="RespCommandReader"/> and reused for every
/// command of a connection so that reading allocates nothing in steady state.
/// </summary>
/// <remarks>
/// When a frame lies in one segment of the input, arguments point into that memory: they stay
/// valid until the caller releases the input (e.g. <c>PipeReader.AdvanceTo</c>) or reads the next
/// command into this instance. A frame that spans segments, and every inline command, is copied
/// into a buffer rented from <see cref="ArrayPool{T}.Shared"/>, which is returned by
/// <see cref="Reset"/> and <see cref="Dispose"/>. Not thread-safe: one instance per connection.
/// </remarks>
public sealed partial class RespCommand : IDisposable
{
    // A buffer up to this size (bytes) is kept for the next frame; a larger one goes back to
    // the pool once its command is done, so one big request does not pin memory per connection.
    private const int RetainedBufferBytes = 64 * 1024;

    // Argument slots kept across Reset; a connection that once sent a huge MSET gives them back.
    private const int RetainedSlots = 1024;

    private const int InitialSlots = 8;

    private Slot[] _slots = new Slot[InitialSlots];
    private int _parsed;
    private int _count;
    private ReadOnlyMemory<byte> _frame;
    private byte[]? _buffer;
    private PartialFrame _partial;

    /// <summary>Number of arguments, the command name included; 0 until a read completes.</summary>
    public int Count => _count;

    /// <summary>Argument <paramref name="index"/> (0 is the command name), binary-safe.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is not below <see cref="Count"/>.</exception>
    public ReadOnlySpan<byte> this[int index]
    {
        get
        {
            if ((uint)index >= (uint)_count)
            {
                ThrowHelper.ThrowArgumentIndex(nameof(index), index, _count);
            }

            Slot slot = _slots[index];
            return _frame.Span.Slice(slot.Offset, slot.Length);
        }
    }

    /// <summary>
    /// Whether the command name equals <paramref name="upperAsciiName"/> ignoring ASCII case;
    /// pass the name in upper case, e.g. <c>"GET"u8</c>. False when there is no command.
    /// </summary>
    public bool NameIs(ReadOnlySpan<byte> upperAsciiName) =>
        _count > 0 && ArgumentIs(0, upperAsciiName);

    /// <summary>
    /// Whether argument <paramref name="index"/> equals <paramref name="upperAsciiValue"/> ignoring
    /// ASCII case; for options such as <c>EX</c> or <c>NX</c>. False when the index is out of range.
    /// </summary>
    public bool ArgumentIs(int index, ReadOnlySpan<byte> upperAsciiValue) =>
        (uint)index < (uint)_count && Ascii.EqualsIgnoreCase(this[index], upperAsciiValue);

    /// <summary>
    /// Copies the command name upper-cased (ASCII letters only; other bytes unchanged) into
    /// <paramref name="destination"/>, for looking it up in a command table. Returns false,
    /// writing nothing, when there is no command or the name does not fit.
    /// </summary>
    public bool TryCopyUpperName(Span<byte> destination, out int written)
    {
        written = 0;
        if (_count == 0)
        {
            return false;
        }

        ReadOnlySpan<byte> name = this[0];
        if (name.Length > destination.Length)
        {
            return false;
        }

        for (int i = 0; i < name.Length; i++)
        {
            byte b = name[i];
            destination[i] = b is >= (byte)'a' and <= (byte)'z' ? (byte)(b - ('a' - 'A')) : b;
        }

        written = name.Length;
        return true;
    }

    /// <summary>
    /// Forgets the current command and any partly read frame and returns pooled memory.
    /// Call when the connection's input is discarded, e.g. before reusing the instance for
    /// another connection.
    /// </summary>
    public void Reset()
    {
        _count = 0;
        _parsed = 0;
        _frame = default;
        _partial = default;
        ReturnBuffer();
        if (_slots.Length > RetainedSlots)
        {
            _slots = new Slot[InitialSlots];
        }
    }

    /// <summary>Returns pooled memory; the instance stays usable and rents again when needed.</summary>
    public void Dispose() => Reset();

    private void ReturnBuffer()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
    }

    private readonly record struct Slot(int Offset, int Length);
}
