using System.Buffers;

namespace KubeCache.Protocol;

// How the readers fill a command: argument slots as offsets into the frame, the frame itself
// (input memory or a pooled copy), and the resume point of a frame that has not fully arrived.
public sealed partial class RespCommand
{
    /// <summary>Drops the previous command before a new frame is parsed from its start.</summary>
    internal void BeginFrame()
    {
        _count = 0;
        _parsed = 0;
        _frame = default;
        _partial = default;
        if (_buffer is { Length: > RetainedBufferBytes })
        {
            ReturnBuffer();
        }
    }

    /// <summary>Invalidates the published arguments; partial parse state is kept.</summary>
    internal void BeginRead() => _count = 0;

    internal int ParsedCount => _parsed;

    internal void AddArgument(int offset, int length)
    {
        if (_parsed == _slots.Length)
        {
            Array.Resize(ref _slots, _slots.Length * 2);
        }

        _slots[_parsed++] = new Slot(offset, length);
    }

    /// <summary>Publishes the parsed arguments, which are offsets into <paramref name="frame"/>.</summary>
    internal void Complete(in ReadOnlySequence<byte> frame)
    {
        _partial = default;
        if (frame.IsSingleSegment)
        {
            _frame = frame.First;
        }
        else
        {
            int length = (int)frame.Length;
            frame.CopyTo(RentBuffer(length));
            _frame = _buffer.AsMemory(0, length);
        }

        _count = _parsed;
    }

    /// <summary>A pooled span of at least <paramref name="length"/> bytes to build a frame in.</summary>
    internal Span<byte> RentBuffer(int length)
    {
        if (_buffer is null || _buffer.Length < length)
        {
            ReturnBuffer();
            _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 256));
        }

        return _buffer.AsSpan(0, length);
    }

    /// <summary>Publishes arguments that are offsets into the first <paramref name="length"/> bytes of the rented buffer.</summary>
    internal void CompleteInBuffer(int length)
    {
        _partial = default;
        _frame = _buffer.AsMemory(0, length);
        _count = _parsed;
    }

    /// <summary>
    /// Remembers where parsing of an unfinished multibulk frame stopped, so that the next read of
    /// the same input, now longer, continues there instead of parsing every argument again.
    /// </summary>
    internal void SavePartial(in ReadOnlySequence<byte> buffer, long offset, int expected) =>
        _partial = new PartialFrame(buffer.Start.GetObject(), buffer.Start.GetInteger(), buffer.Length, offset, expected);

    /// <summary>
    /// Whether <paramref name="buffer"/> starts where the saved partial frame started (same
    /// segment and index) and is no shorter; then parsing resumes at <paramref name="offset"/>.
    /// </summary>
    internal bool TryResume(in ReadOnlySequence<byte> buffer, out long offset, out int expected)
    {
        PartialFrame partial = _partial;
        _partial = default;
        offset = partial.Offset;
        expected = partial.Expected;
        return partial.Expected > 0
            && ReferenceEquals(partial.StartObject, buffer.Start.GetObject())
            && partial.StartIndex == buffer.Start.GetInteger()
            && buffer.Length >= partial.Length;
    }

    private readonly record struct PartialFrame(object? StartObject, int StartIndex, long Length, long Offset, int Expected);
}
