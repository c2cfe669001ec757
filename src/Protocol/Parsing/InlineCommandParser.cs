using System.Buffers;

namespace KubeCache.Protocol.Parsing;

/// <summary>
/// Inline commands, as typed into telnet: words separated by whitespace up to <c>\n</c> (an
/// optional <c>\r</c> before it is dropped), split with the quoting rules of Redis's
/// <c>sdssplitargs</c>. The line is copied into the command's pooled buffer and unescaped in
/// place, since an unescaped argument is never longer than its source.
/// </summary>
internal static class InlineCommandParser
{
    public static RespReadStatus TryRead(
        in ReadOnlySequence<byte> buffer, RespLimits limits, RespCommand command, out long frameLength, out RespReadError error)
    {
        frameLength = 0;
        error = default;
        long window = Math.Min(buffer.Length, (long)limits.MaxInlineBytes + 1);
        SequencePosition? newline = buffer.Slice(0, window).PositionOf((byte)'\n');
        if (newline is null)
        {
            if (buffer.Length > limits.MaxInlineBytes)
            {
                error = new RespReadError(RespErrorKind.InlineTooLong, overLimit: true);
                return RespReadStatus.ProtocolError;
            }

            return RespReadStatus.Incomplete;
        }

        command.BeginFrame();
        ReadOnlySequence<byte> line = buffer.Slice(0, newline.Value);
        frameLength = line.Length + 1;
        int length = (int)line.Length;
        Span<byte> text = command.RentBuffer(length);
        line.CopyTo(text);
        if (length > 0 && text[length - 1] == (byte)'\r')
        {
            length--;
        }

        if (!TrySplit(text[..length], command))
        {
            error = new RespReadError(RespErrorKind.UnbalancedQuotes);
            return RespReadStatus.ProtocolError;
        }

        // No words: a blank line, which the caller skips like Redis does.
        command.CompleteInBuffer(length);
        return RespReadStatus.Complete;
    }

    /// <summary>Splits <paramref name="text"/> in place, adding each word as an argument.</summary>
    internal static bool TrySplit(Span<byte> text, RespCommand command)
    {
        int read = 0;
        while (true)
        {
            while (read < text.Length && IsSpace(text[read]))
            {
                read++;
            }

            if (read == text.Length)
            {
                return true;
            }

            int start = read;
            int write = read;
            if (!TryReadWord(text, ref read, ref write))
            {
                return false;
            }

            command.AddArgument(start, write - start);
        }
    }

    // Reads one word starting at 'read', writing its unescaped bytes from 'write' (<= read).
    private static bool TryReadWord(Span<byte> text, ref int read, ref int write)
    {
        while (read < text.Length)
        {
            byte b = text[read];
            if (IsSpace(b))
            {
                return true;
            }

            read++;
            bool closed = b switch
            {
                (byte)'"' => TryReadDoubleQuoted(text, ref read, ref write),
                (byte)'\'' => TryReadSingleQuoted(text, ref read, ref write),
                _ => Append(text, b, ref write),
            };
            if (!closed)
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryReadDoubleQuoted(Span<byte> text, ref int read, ref int write)
    {
        while (read < text.Length)
        {
            byte b = text[read++];
            if (b == (byte)'"')
            {
                return ClosingQuoteEndsWord(text, read);
            }

            if (b == (byte)'\\' && read < text.Length)
            {
                if (text[read] == (byte)'x' && read + 2 < text.Length
                    && IsHex(text[read + 1]) && IsHex(text[read + 2]))
                {
                    b = (byte)((HexValue(text[read + 1]) << 4) | HexValue(text[read + 2]));
                    read += 3;
                }
                else
                {
                    b = Unescape(text[read++]);
                }
            }

            text[write++] = b;
        }

        return false;
    }

    private static bool TryReadSingleQuoted(Span<byte> text, ref int read, ref int write)
    {
        while (read < text.Length)
        {
            byte b = text[read++];
            if (b == (byte)'\'')
            {
                return ClosingQuoteEndsWord(text, read);
            }

            if (b == (byte)'\\' && read < text.Length && text[read] == (byte)'\'')
            {
                b = (byte)'\'';
                read++;
            }

            text[write++] = b;
        }

        return false;
    }

    // Redis requires a closing quote to be followed by whitespace or the end of the line.
    private static bool ClosingQuoteEndsWord(Span<byte> text, int next) =>
        next == text.Length || IsSpace(text[next]);

    private static bool Append(Span<byte> text, byte b, ref int write)
    {
        text[write++] = b;
        return true;
    }

    private static byte Unescape(byte b) => b switch
    {
        (byte)'n' => (byte)'\n',
        (byte)'r' => (byte)'\r',
        (byte)'t' => (byte)'\t',
        (byte)'b' => (byte)'\b',
        (byte)'a' => (byte)'\a',
        _ => b,
    };

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\v' or (byte)'\f';

    private static bool IsHex(byte b) => char.IsAsciiHexDigit((char)b);

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
}
