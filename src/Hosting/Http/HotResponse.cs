using System.Buffers;
using System.Buffers.Text;
using System.Text;
using KubeCache.HttpContract;
using Microsoft.AspNetCore.WebUtilities;

namespace KubeCache.Hosting.Http;

/// <summary>
/// Writes a reply the way Kestrel writes the same reply from the Kestrel endpoints, byte for byte:
/// status line, Content-Length, Content-Type, Date (to the second, as Kestrel's own clock), body.
/// </summary>
internal static class HotResponse
{
    private static DateHeader? s_date;

    public static void Write(IBufferWriter<byte> output, HttpReply reply)
    {
        using (reply.Body)
        {
            ReadOnlySpan<byte> body = reply.Body.Body;
            ReadOnlySpan<byte> reason = Reason(reply.Status);
            ReadOnlySpan<byte> date = CurrentDate();
            int length = "HTTP/1.1 000 \r\nContent-Length: \r\nContent-Type: application/json\r\n".Length + reason.Length + 10 + date.Length + 2 + body.Length;
            Span<byte> span = output.GetSpan(length);
            int written = Append(span, "HTTP/1.1 "u8);
            Utf8Formatter.TryFormat(reply.Status, span[written..], out int digits);
            written += digits;
            span[written++] = (byte)' ';
            written += Append(span[written..], reason);
            written += Append(span[written..], "\r\nContent-Length: "u8);
            Utf8Formatter.TryFormat(body.Length, span[written..], out digits);
            written += digits;
            written += Append(span[written..], "\r\nContent-Type: application/json\r\n"u8);
            written += Append(span[written..], date);
            written += Append(span[written..], "\r\n"u8);
            written += Append(span[written..], body);
            output.Advance(written);
        }
    }

    private static int Append(Span<byte> span, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(span);
        return bytes.Length;
    }

    private static ReadOnlySpan<byte> Reason(int status) => status switch
    {
        200 => "OK"u8,
        400 => "Bad Request"u8,
        404 => "Not Found"u8,
        _ => Encoding.ASCII.GetBytes(ReasonPhrases.GetReasonPhrase(status)),
    };

    /// <summary>The <c>Date: …\r\n</c> line of the current second, formatted once per second.</summary>
    private static ReadOnlySpan<byte> CurrentDate()
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        long second = now.UtcTicks / TimeSpan.TicksPerSecond;
        DateHeader? date = Volatile.Read(ref s_date);
        if (date is null || date.Second != second)
        {
            date = new DateHeader(second, Encoding.ASCII.GetBytes($"Date: {now:r}\r\n"));
            Volatile.Write(ref s_date, date);
        }

        return date.Line;
    }

    private sealed record DateHeader(long Second, byte[] Line);
}
