using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace KubeCache.Protocol;

/// <summary>
/// Writes replies, the server side, in RESP2 or, where a method takes a <see cref="RespProtocol"/>,
/// in the protocol the connection chose. Each method appends one value to the writer and
/// allocates nothing; flushing is the caller's business, ideally once per batch of pipelined
/// replies. Values that are frequent and constant are in <see cref="RespReplies"/>.
/// </summary>
public static class RespWriter
{
    // Bulk strings up to this many bytes (and their header) are written with one GetSpan call.
    private const int SmallBulkBytes = 4096;

    // A verbatim string's text starts with its three-letter format and a colon.
    private static ReadOnlySpan<byte> VerbatimFormat => "txt:"u8;

    // '$' or '*' or ':', a 64-bit integer, CRLF.
    private const int MaxHeaderBytes = 1 + RespInteger.MaxLength + 2;

    /// <summary>Writes <c>+value\r\n</c>; CR and LF in the value become spaces so the frame stays intact.</summary>
    public static void WriteSimpleString(IBufferWriter<byte> writer, ReadOnlySpan<byte> value) =>
        WriteLine(writer, (byte)'+', value);

    /// <inheritdoc cref="WriteSimpleString(IBufferWriter{byte}, ReadOnlySpan{byte})"/>
    public static void WriteSimpleString(IBufferWriter<byte> writer, string value) =>
        WriteLine(writer, (byte)'+', value);

    /// <summary>
    /// Writes <c>-message\r\n</c>; CR and LF in the message become spaces. The message starts
    /// with the error code, e.g. <c>ERR syntax error</c> or <c>WRONGTYPE ...</c>.
    /// </summary>
    public static void WriteError(IBufferWriter<byte> writer, ReadOnlySpan<byte> message) =>
        WriteLine(writer, (byte)'-', message);

    /// <inheritdoc cref="WriteError(IBufferWriter{byte}, ReadOnlySpan{byte})"/>
    public static void WriteError(IBufferWriter<byte> writer, string message) =>
        WriteLine(writer, (byte)'-', message);

    /// <summary>Writes <c>:value\r\n</c>.</summary>
    public static void WriteInteger(IBufferWriter<byte> writer, long value) =>
        WriteHeader(writer, (byte)':', value);

    /// <summary>Writes <c>$length\r\n</c>, the bytes, and <c>\r\n</c>; binary-safe.</summary>
    public static void WriteBulkString(IBufferWriter<byte> writer, ReadOnlySpan<byte> value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value.Length > SmallBulkBytes)
        {
            WriteHeader(writer, (byte)'$', value.Length);
            writer.Write(value);
            writer.Write("\r\n"u8);
            return;
        }

        Span<byte> span = writer.GetSpan(MaxHeaderBytes + value.Length + 2);
        int written = FormatHeader(span, (byte)'$', value.Length);
        value.CopyTo(span[written..]);
        written += value.Length;
        "\r\n"u8.CopyTo(span[written..]);
        writer.Advance(written + 2);
    }

    /// <summary>Writes <c>$length\r\n</c>: the caller writes the string's bytes next, in as many writes as it likes, and then <see cref="WriteBulkStringEnd"/>.</summary>
    public static void WriteBulkStringHeader(IBufferWriter<byte> writer, int length) => WriteHeader(writer, (byte)'$', length);

    /// <summary>Writes the <c>\r\n</c> that ends a bulk string begun with <see cref="WriteBulkStringHeader"/>.</summary>
    public static void WriteBulkStringEnd(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write("\r\n"u8);
    }

    /// <summary>Writes <paramref name="value"/> encoded as UTF-8 as a bulk string.</summary>
    public static void WriteBulkString(IBufferWriter<byte> writer, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        int length = Encoding.UTF8.GetByteCount(value);
        WriteHeader(writer, (byte)'$', length);
        Span<byte> span = writer.GetSpan(length + 2);
        Encoding.UTF8.GetBytes(value, span);
        "\r\n"u8.CopyTo(span[length..]);
        writer.Advance(length + 2);
    }

    /// <summary>Writes <c>$-1\r\n</c>, Redis's nil.</summary>
    public static void WriteNullBulkString(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(RespReplies.NullBulkString);
    }

    /// <summary>Writes a nil: <c>_\r\n</c> in RESP3, <c>$-1\r\n</c> in RESP2.</summary>
    public static void WriteNull(IBufferWriter<byte> writer, RespProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(protocol == RespProtocol.Resp3 ? RespReplies.Null : RespReplies.NullBulkString);
    }

    /// <summary>Writes a nil array: <c>_\r\n</c> in RESP3, <c>*-1\r\n</c> in RESP2.</summary>
    public static void WriteNullArray(IBufferWriter<byte> writer, RespProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(protocol == RespProtocol.Resp3 ? RespReplies.Null : RespReplies.NullArray);
    }

    /// <summary>Writes a map header of <paramref name="pairs"/> pairs: <c>%pairs</c> in RESP3, <c>*2×pairs</c> in RESP2; the caller then writes each key and value.</summary>
    public static void WriteMapHeader(IBufferWriter<byte> writer, int pairs, RespProtocol protocol)
    {
        if (pairs < 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(pairs), "A map has zero or more pairs.");
        }

        WriteHeader(writer, protocol == RespProtocol.Resp3 ? (byte)'%' : (byte)'*', protocol == RespProtocol.Resp3 ? pairs : 2L * pairs);
    }

    /// <summary>Writes text of format <c>txt</c>: a verbatim string (<c>=</c>) in RESP3, a bulk string in RESP2.</summary>
    public static void WriteVerbatimString(IBufferWriter<byte> writer, string text, RespProtocol protocol)
    {
        if (protocol != RespProtocol.Resp3)
        {
            WriteBulkString(writer, text);
            return;
        }

        ArgumentNullException.ThrowIfNull(text);
        int length = Encoding.UTF8.GetByteCount(text);
        WriteHeader(writer, (byte)'=', length + VerbatimFormat.Length);
        writer.Write(VerbatimFormat);
        Span<byte> span = writer.GetSpan(length + 2);
        Encoding.UTF8.GetBytes(text, span);
        "\r\n"u8.CopyTo(span[length..]);
        writer.Advance(length + 2);
    }

    /// <summary>Writes <c>*count\r\n</c>; the caller then writes <paramref name="count"/> values.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative; use <see cref="WriteNullArray(IBufferWriter{byte})"/>.</exception>
    public static void WriteArrayHeader(IBufferWriter<byte> writer, int count)
    {
        if (count < 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(count), "An array has zero or more elements; write a null array with WriteNullArray.");
        }

        WriteHeader(writer, (byte)'*', count);
    }

    /// <summary>Writes <c>*-1\r\n</c>.</summary>
    public static void WriteNullArray(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(RespReplies.NullArray);
    }

    /// <summary>Writes a whole reply value, nested values included, in RESP2.</summary>
    public static void WriteValue(IBufferWriter<byte> writer, RespValue value) => WriteValue(writer, value, RespProtocol.Resp2);

    /// <summary>
    /// Writes a whole reply value, nested values included, in <paramref name="protocol"/>: RESP3
    /// kinds take their RESP2 shape for a RESP2 client (see <see cref="RespValueKind"/>), and every
    /// nil becomes <c>_</c> for a RESP3 client.
    /// </summary>
    public static void WriteValue(IBufferWriter<byte> writer, RespValue value, RespProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.IsNull && protocol == RespProtocol.Resp3)
        {
            writer.Write(RespReplies.Null);
            return;
        }

        switch (value.Kind)
        {
            case RespValueKind.SimpleString:
                WriteSimpleString(writer, value.Bytes.Span);
                break;
            case RespValueKind.Error:
                WriteError(writer, value.Bytes.Span);
                break;
            case RespValueKind.Integer:
                WriteInteger(writer, value.AsInt64());
                break;
            case RespValueKind.BulkString or RespValueKind.Null when value.IsNull:
                WriteNullBulkString(writer);
                break;
            case RespValueKind.Double when protocol == RespProtocol.Resp3:
                WriteLine(writer, (byte)',', value.Bytes.Span);
                break;
            case RespValueKind.VerbatimString when protocol == RespProtocol.Resp3:
                WriteHeader(writer, (byte)'=', value.Bytes.Length + VerbatimFormat.Length);
                writer.Write(VerbatimFormat);
                writer.Write(value.Bytes.Span);
                writer.Write("\r\n"u8);
                break;
            case RespValueKind.BulkString or RespValueKind.Double or RespValueKind.VerbatimString:
                WriteBulkString(writer, value.Bytes.Span);
                break;
            case RespValueKind.Array when value.IsNull:
                WriteNullArray(writer);
                break;
            default:
                WriteItems(writer, value, protocol);
                break;
        }
    }

    private static void WriteItems(IBufferWriter<byte> writer, RespValue value, RespProtocol protocol)
    {
        int count = value.Items.Count;
        switch (value.Kind)
        {
            case RespValueKind.Map:
                WriteMapHeader(writer, count / 2, protocol);
                break;
            case RespValueKind.Set when protocol == RespProtocol.Resp3:
                WriteHeader(writer, (byte)'~', count);
                break;
            default:
                WriteArrayHeader(writer, count);
                break;
        }

        foreach (RespValue item in value.Items)
        {
            WriteValue(writer, item, protocol);
        }
    }

    private static void WriteHeader(IBufferWriter<byte> writer, byte type, long value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Span<byte> span = writer.GetSpan(MaxHeaderBytes);
        writer.Advance(FormatHeader(span, type, value));
    }

    private static int FormatHeader(Span<byte> span, byte type, long value)
    {
        span[0] = type;
        Utf8Formatter.TryFormat(value, span[1..], out int digits);
        "\r\n"u8.CopyTo(span[(1 + digits)..]);
        return digits + 3;
    }

    private static void WriteLine(IBufferWriter<byte> writer, byte type, ReadOnlySpan<byte> text)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Span<byte> span = writer.GetSpan(text.Length + 3);
        span[0] = type;
        text.CopyTo(span[1..]);
        FinishLine(writer, span, text.Length);
    }

    private static void WriteLine(IBufferWriter<byte> writer, byte type, string text)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(text);
        Span<byte> span = writer.GetSpan(Encoding.UTF8.GetByteCount(text) + 3);
        span[0] = type;
        int length = Encoding.UTF8.GetBytes(text, span[1..]);
        FinishLine(writer, span, length);
    }

    // Replaces CR and LF in span[1..length+1] with spaces, appends CRLF and advances.
    private static void FinishLine(IBufferWriter<byte> writer, Span<byte> span, int length)
    {
        Span<byte> text = span.Slice(1, length);
        text.Replace((byte)'\r', (byte)' ');
        text.Replace((byte)'\n', (byte)' ');
        "\r\n"u8.CopyTo(span[(length + 1)..]);
        writer.Advance(length + 3);
    }
}
