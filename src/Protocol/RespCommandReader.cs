using System.Buffers;
using KubeCache.Protocol.Parsing;

namespace KubeCache.Protocol;

/// <summary>
/// Reads client commands, the server side of RESP2: multibulk frames (<c>*N</c> followed by N
/// bulk strings) and inline commands (space-separated words ending in <c>\n</c>), with Redis's
/// rules and error messages. Holds no state of its own; see <see cref="RespCommand"/>.
/// </summary>
public static class RespCommandReader
{
    /// <summary>
    /// Reads the next command from <paramref name="buffer"/> into <paramref name="command"/>.
    /// </summary>
    /// <returns>
    /// <see cref="RespReadStatus.Complete"/>: <paramref name="buffer"/> is sliced past the frame
    /// and <paramref name="command"/> holds at least one argument.
    /// <see cref="RespReadStatus.Incomplete"/>: no partial frame is consumed (only empty frames
    /// such as <c>*0</c> and blank lines, which Redis skips); pass the same input again once more
    /// has arrived, and the reader continues where it stopped.
    /// <see cref="RespReadStatus.ProtocolError"/>: <paramref name="error"/> says why; the
    /// connection should get <c>-ERR</c> plus the message and be closed.
    /// </returns>
    public static RespReadStatus TryRead(
        ref ReadOnlySequence<byte> buffer, RespLimits limits, RespCommand command, out RespReadError error)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(command);
        error = default;
        command.BeginRead();
        while (true)
        {
            var reader = new SequenceReader<byte>(buffer);
            if (!reader.TryPeek(out byte first))
            {
                return RespReadStatus.Incomplete;
            }

            long frameLength;
            RespReadStatus status = first == (byte)'*'
                ? TryReadMultibulk(buffer, limits, command, out frameLength, out error)
                : InlineCommandParser.TryRead(buffer, limits, command, out frameLength, out error);
            if (status != RespReadStatus.Complete)
            {
                return status;
            }

            buffer = buffer.Slice(frameLength);
            if (command.Count > 0)
            {
                return RespReadStatus.Complete;
            }
        }
    }

    private static RespReadStatus TryReadMultibulk(
        in ReadOnlySequence<byte> buffer, RespLimits limits, RespCommand command, out long frameLength, out RespReadError error)
    {
        frameLength = 0;
        error = default;
        var reader = new SequenceReader<byte>(buffer);
        if (command.TryResume(buffer, out long resumeAt, out int expected))
        {
            reader.Advance(resumeAt);
        }
        else
        {
            command.BeginFrame();
            reader.Advance(1);
            RespReadStatus header = HeaderLine.TryRead(ref reader, out long count);
            if (header == RespReadStatus.Incomplete)
            {
                return header;
            }

            if (header == RespReadStatus.ProtocolError || count > limits.MaxArrayLength)
            {
                error = new RespReadError(RespErrorKind.InvalidMultibulkLength, overLimit: header != RespReadStatus.ProtocolError);
                return RespReadStatus.ProtocolError;
            }

            if (count <= 0)
            {
                // Redis ignores empty and null arrays from clients.
                frameLength = reader.Consumed;
                return RespReadStatus.Complete;
            }

            expected = (int)count;
        }

        while (command.ParsedCount < expected)
        {
            long argumentStart = reader.Consumed;
            RespReadStatus status = TryReadBulk(ref reader, limits, command, out error);
            if (status == RespReadStatus.Incomplete)
            {
                command.SavePartial(buffer, argumentStart, expected);
            }

            if (status != RespReadStatus.Complete)
            {
                return status;
            }
        }

        frameLength = reader.Consumed;
        command.Complete(buffer.Slice(0, frameLength));
        return RespReadStatus.Complete;
    }

    private static RespReadStatus TryReadBulk(
        ref SequenceReader<byte> reader, RespLimits limits, RespCommand command, out RespReadError error)
    {
        error = default;
        if (!reader.TryRead(out byte type))
        {
            return RespReadStatus.Incomplete;
        }

        if (type != (byte)'$')
        {
            error = new RespReadError(RespErrorKind.ExpectedBulk, type);
            return RespReadStatus.ProtocolError;
        }

        RespReadStatus header = HeaderLine.TryRead(ref reader, out long length);
        if (header == RespReadStatus.Incomplete)
        {
            return header;
        }

        if (header == RespReadStatus.ProtocolError || length < 0 || length > limits.MaxBulkBytes)
        {
            error = new RespReadError(RespErrorKind.InvalidBulkLength, overLimit: header != RespReadStatus.ProtocolError && length > limits.MaxBulkBytes);
            return RespReadStatus.ProtocolError;
        }

        long start = reader.Consumed;
        if (start + length + 2 > Array.MaxLength)
        {
            // The frame could not be copied into one array if it spans segments.
            error = new RespReadError(RespErrorKind.RequestTooLarge, overLimit: true);
            return RespReadStatus.ProtocolError;
        }

        if (reader.Remaining < length + 2)
        {
            return RespReadStatus.Incomplete;
        }

        reader.Advance(length);
        if (!reader.IsNext("\r\n"u8, advancePast: true))
        {
            error = new RespReadError(RespErrorKind.BulkNotTerminated);
            return RespReadStatus.ProtocolError;
        }

        command.AddArgument((int)start, (int)length);
        return RespReadStatus.Complete;
    }
}
