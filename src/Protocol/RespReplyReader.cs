using System.Buffers;
using KubeCache.Protocol.Parsing;

namespace KubeCache.Protocol;

/// <summary>
/// Reads replies, the client side: RESP2's simple strings, errors, integers, bulk strings and
/// arrays, nested and nil included, and the RESP3 types KubeCache writes (null, double, map, set,
/// verbatim string). Allocates a <see cref="RespValue"/> per value, and never
/// more than the input that has arrived justifies.
/// </summary>
public static class RespReplyReader
{
    /// <summary>Deepest array nesting accepted; far beyond what any Redis command returns, and it bounds recursion.</summary>
    public const int MaxDepth = 64;

    // The shortest element, "+\r\n", lets an array header be checked against the input it needs.
    private const int MinElementBytes = 3;

    /// <summary>Reads one reply with <see cref="RespLimits.Default"/>.</summary>
    /// <inheritdoc cref="TryRead(ref ReadOnlySequence{byte}, RespLimits, out RespValue, out RespReadError)"/>
    public static RespReadStatus TryRead(ref ReadOnlySequence<byte> buffer, out RespValue? value) =>
        TryRead(ref buffer, RespLimits.Default, out value, out _);

    /// <summary>Reads one reply from <paramref name="buffer"/>.</summary>
    /// <returns>
    /// <see cref="RespReadStatus.Complete"/>: <paramref name="value"/> is set and
    /// <paramref name="buffer"/> is sliced past it. Otherwise <paramref name="value"/> is null and
    /// nothing is consumed; on <see cref="RespReadStatus.ProtocolError"/>, <paramref name="error"/> says why.
    /// </returns>
    public static RespReadStatus TryRead(
        ref ReadOnlySequence<byte> buffer, RespLimits limits, out RespValue? value, out RespReadError error)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var reader = new SequenceReader<byte>(buffer);
        RespReadStatus status = ReadValue(ref reader, limits, 0, out value, out error);
        if (status == RespReadStatus.Complete)
        {
            buffer = buffer.Slice(reader.Position);
        }
        else
        {
            value = null;
        }

        return status;
    }

    private static RespReadStatus ReadValue(
        ref SequenceReader<byte> reader, RespLimits limits, int depth, out RespValue? value, out RespReadError error)
    {
        value = null;
        error = default;
        if (!reader.TryRead(out byte type))
        {
            return RespReadStatus.Incomplete;
        }

        return type switch
        {
            (byte)'+' => ReadLine(ref reader, limits, RespValueKind.SimpleString, out value, out error),
            (byte)'-' => ReadLine(ref reader, limits, RespValueKind.Error, out value, out error),
            (byte)':' => ReadInteger(ref reader, out value, out error),
            (byte)'$' => ReadBulk(ref reader, limits, out value, out error),
            (byte)'*' => ReadArray(ref reader, limits, depth, RespValueKind.Array, out value, out error),
            (byte)'%' => ReadArray(ref reader, limits, depth, RespValueKind.Map, out value, out error),
            (byte)'~' => ReadArray(ref reader, limits, depth, RespValueKind.Set, out value, out error),
            (byte)'_' => ReadNull(ref reader, out value, out error),
            (byte)',' => ReadLine(ref reader, limits, RespValueKind.Double, out value, out error),
            (byte)'=' => ReadVerbatim(ref reader, limits, out value, out error),
            _ => Fail(new RespReadError(RespErrorKind.UnexpectedReplyType, type), out value, out error),
        };
    }

    private static RespReadStatus ReadLine(
        ref SequenceReader<byte> reader, RespLimits limits, RespValueKind kind, out RespValue? value, out RespReadError error)
    {
        value = null;
        error = default;
        long window = Math.Min(reader.Remaining, (long)limits.MaxInlineBytes + 1);
        ReadOnlySequence<byte> unread = reader.UnreadSequence.Slice(0, window);
        SequencePosition? cr = unread.PositionOf((byte)'\r');
        if (cr is null)
        {
            return reader.Remaining > limits.MaxInlineBytes
                ? Fail(new RespReadError(RespErrorKind.LineTooLong), out value, out error)
                : RespReadStatus.Incomplete;
        }

        ReadOnlySequence<byte> line = unread.Slice(0, cr.Value);
        if (line.PositionOf((byte)'\n') is not null)
        {
            // RESP lines hold no line breaks (writers turn them into spaces), so a bare LF is not text.
            return Fail(new RespReadError(RespErrorKind.LineFeedInLine), out value, out error);
        }

        if (reader.Remaining < line.Length + 2)
        {
            return RespReadStatus.Incomplete;
        }

        bool ok = kind == RespValueKind.SimpleString && line.Length == 2 && line.FirstSpan.Length == 2 && line.FirstSpan.SequenceEqual("OK"u8);
        byte[]? bytes = ok ? null : line.ToArray();
        reader.Advance(line.Length + 1);
        if (!reader.IsNext((byte)'\n', advancePast: true))
        {
            return Fail(new RespReadError(RespErrorKind.LineNotTerminated), out value, out error);
        }

        value = bytes is null ? RespValue.Ok : RespValue.FromParts(kind, bytes);
        return RespReadStatus.Complete;
    }

    private static RespReadStatus ReadNull(ref SequenceReader<byte> reader, out RespValue? value, out RespReadError error)
    {
        value = null;
        error = default;
        if (reader.Remaining < 2)
        {
            return RespReadStatus.Incomplete;
        }

        if (!reader.IsNext("\r\n"u8, advancePast: true))
        {
            return Fail(new RespReadError(RespErrorKind.LineNotTerminated), out value, out error);
        }

        value = RespValue.Null;
        return RespReadStatus.Complete;
    }

    /// <summary>A verbatim string: a bulk string whose first four bytes name its format (<c>txt:</c>), which is dropped.</summary>
    private static RespReadStatus ReadVerbatim(
        ref SequenceReader<byte> reader, RespLimits limits, out RespValue? value, out RespReadError error)
    {
        RespReadStatus status = ReadBulk(ref reader, limits, out value, out error);
        if (status != RespReadStatus.Complete)
        {
            return status;
        }

        ReadOnlyMemory<byte> bytes = value!.Bytes;
        if (value.IsNull || bytes.Length < 4 || bytes.Span[3] != (byte)':')
        {
            return Fail(new RespReadError(RespErrorKind.InvalidBulkLength), out value, out error);
        }

        value = RespValue.FromParts(RespValueKind.VerbatimString, bytes[4..].ToArray());
        return RespReadStatus.Complete;
    }

    private static RespReadStatus ReadInteger(ref SequenceReader<byte> reader, out RespValue? value, out RespReadError error)
    {
        value = null;
        error = default;
        RespReadStatus status = HeaderLine.TryRead(ref reader, out long integer);
        if (status == RespReadStatus.ProtocolError)
        {
            return Fail(new RespReadError(RespErrorKind.InvalidInteger), out value, out error);
        }

        value = status == RespReadStatus.Complete ? RespValue.Integer(integer) : null;
        return status;
    }

    private static RespReadStatus ReadBulk(
        ref SequenceReader<byte> reader, RespLimits limits, out RespValue? value, out RespReadError error)
    {
        value = null;
        error = default;
        RespReadStatus status = HeaderLine.TryRead(ref reader, out long length);
        if (status == RespReadStatus.Incomplete)
        {
            return status;
        }

        if (status == RespReadStatus.ProtocolError || length < -1 || length > limits.MaxBulkBytes)
        {
            return Fail(new RespReadError(RespErrorKind.InvalidBulkLength), out value, out error);
        }

        if (length == -1)
        {
            value = RespValue.NullBulkString;
            return RespReadStatus.Complete;
        }

        if (reader.Remaining < length + 2)
        {
            return RespReadStatus.Incomplete;
        }

        var bytes = new byte[length];
        reader.TryCopyTo(bytes);
        reader.Advance(length);
        if (!reader.IsNext("\r\n"u8, advancePast: true))
        {
            return Fail(new RespReadError(RespErrorKind.BulkNotTerminated), out value, out error);
        }

        value = RespValue.BulkString(bytes);
        return RespReadStatus.Complete;
    }

    /// <summary>An array, or a set, or a map (whose header counts pairs: twice as many values follow).</summary>
    private static RespReadStatus ReadArray(
        ref SequenceReader<byte> reader, RespLimits limits, int depth, RespValueKind kind, out RespValue? value, out RespReadError error)
    {
        value = null;
        error = default;
        RespReadStatus status = HeaderLine.TryRead(ref reader, out long count);
        if (status == RespReadStatus.Incomplete)
        {
            return status;
        }

        if (kind == RespValueKind.Map && status == RespReadStatus.Complete && count >= 0)
        {
            count *= 2;
        }

        if (status == RespReadStatus.ProtocolError || count < -1 || count > limits.MaxArrayLength || (count == -1 && kind != RespValueKind.Array))
        {
            return Fail(new RespReadError(RespErrorKind.InvalidMultibulkLength), out value, out error);
        }

        if (count == -1)
        {
            value = RespValue.NullArray;
            return RespReadStatus.Complete;
        }

        if (count > 0 && depth >= MaxDepth)
        {
            return Fail(new RespReadError(RespErrorKind.NestingTooDeep), out value, out error);
        }

        if (reader.Remaining < count * MinElementBytes)
        {
            // Wait until the elements can have arrived before allocating room for them.
            return RespReadStatus.Incomplete;
        }

        var items = new RespValue[count];
        for (int i = 0; i < items.Length; i++)
        {
            status = ReadValue(ref reader, limits, depth + 1, out RespValue? item, out error);
            if (status != RespReadStatus.Complete)
            {
                return status;
            }

            items[i] = item!;
        }

        value = RespValue.FromItems(items, kind);
        return RespReadStatus.Complete;
    }

    private static RespReadStatus Fail(RespReadError failure, out RespValue? value, out RespReadError error)
    {
        value = null;
        error = failure;
        return RespReadStatus.ProtocolError;
    }
}
