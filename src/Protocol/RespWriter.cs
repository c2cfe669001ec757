using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace KubeCache.Protocol;

/// <summary>
/// Writes RESP2 replies, the server side. Each method appends one value to the writer and
/// allocates nothing; flushing is the caller's business, ideally once per batch of pipelined
/// replies. Values that are frequent and constant are in <see cref="RespReplies"/>.
/// </summary>
public static class RespWriter
{
    // Bulk strings up to this many bytes (and their header) are written with one GetSpan call.
    private const int SmallBulkBytes = 4096;

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

    /// <summary>Writes <c>*count\r\n</c>; the caller then writes <paramref name="count"/> values.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative; use <see cref="WriteNullArray"/>.</exception>
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

    /// <summary>Writes a whole reply value, nested arrays included.</summary>
    public static void WriteValue(IBufferWriter<byte> writer, RespValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
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
            case RespValueKind.BulkString when value.IsNull:
                WriteNullBulkString(writer);
                break;
            case RespValueKind.BulkString:
                WriteBulkString(writer, value.Bytes.Span);
                break;
            case RespValueKind.Array when value.IsNull:
                WriteNullArray(writer);
                break;
            default:
                WriteArrayHeader(writer, value.Items.Count);
                foreach (RespValue item in value.Items)
                {
                    WriteValue(writer, item);
                }

                break;
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
