using System.Buffers;
using System.Buffers.Text;
using System.Text;
using KubeCache.Hosting.Limits;

namespace KubeCache.Hosting.Http;

/// <summary>
/// One HTTP/1.1 request the connection's own reader answers: <c>GET /get?…</c> or
/// <c>POST /put</c> with a Content-Length body, complete in the buffer.
/// </summary>
/// <param name="Query">GET: the raw query string from its '?', as Kestrel's <c>QueryString</c> holds it; PUT: null.</param>
/// <param name="HeadLength">Bytes of the request line and headers, the blank line included.</param>
/// <param name="BodyLength">PUT: the Content-Length; GET: 0.</param>
internal readonly record struct HotRequest(string? Query, int HeadLength, long BodyLength)
{
    private static readonly SearchValues<byte> s_token = SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);
    private static readonly SearchValues<byte> s_host = SearchValues.Create("-.:[]_0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    /// <summary>Visible ASCII, spaces and tabs: header text every HTTP parser reads the same way.</summary>
    private static readonly SearchValues<byte> s_text = SearchValues.Create(
        "\t !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"u8);

    public long Length => HeadLength + BodyLength;

    /// <summary>
    /// Reads the request at the start of <paramref name="buffer"/> when it is one this reader
    /// answers exactly as Kestrel would and all of it has arrived. Anything else — another path or
    /// method, HTTP/1.0, <c>Connection: close</c>, chunked bodies, <c>Expect</c>, <c>Upgrade</c>,
    /// credentials, bytes Kestrel would judge, a head near the limits, a request not yet complete —
    /// is false: the caller hands it to Kestrel, which answers it as for any request, or, for a
    /// request not yet complete (<paramref name="incomplete"/>), may wait for the rest.
    /// </summary>
    /// <param name="buffer">Unread bytes of the connection.</param>
    /// <param name="limits">Request line and head limits (--max-request-line-bytes, --max-header-bytes, --max-header-count).</param>
    /// <param name="maxBodyBytes">--max-body-bytes: a larger body is Kestrel's 413.</param>
    /// <param name="request">The request read, when true.</param>
    /// <param name="incomplete">
    /// When false: whether only because the request has not all arrived (a head shorter than
    /// --max-header-bytes so far, or the body of a request this reader answers), so the same bytes
    /// and what follows may still be one.
    /// </param>
    public static bool TryRead(ReadOnlySequence<byte> buffer, ConnectionLimits limits, long maxBodyBytes, out HotRequest request, out bool incomplete)
    {
        int window = (int)Math.Min(buffer.Length, limits.MaxHeaderBytes);
        ReadOnlySpan<byte> first = buffer.FirstSpan[..Math.Min(buffer.FirstSpan.Length, window)];
        bool read, ended;
        if (first.Length == window || first.IndexOf("\r\n\r\n"u8) >= 0)
        {
            read = TryReadHead(first, limits, maxBodyBytes, out request, out ended);
        }
        else
        {
            // The head may cross a segment boundary: read it from a copy.
            byte[] copy = ArrayPool<byte>.Shared.Rent(window);
            try
            {
                buffer.Slice(0, window).CopyTo(copy);
                read = TryReadHead(copy.AsSpan(0, window), limits, maxBodyBytes, out request, out ended);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(copy);
            }
        }

        incomplete = read ? buffer.Length < request.Length : !ended && window < limits.MaxHeaderBytes;
        return read && !incomplete;
    }

    /// <summary>Reads the head in <paramref name="window"/>; <paramref name="ended"/> tells whether the window holds its end.</summary>
    private static bool TryReadHead(ReadOnlySpan<byte> window, ConnectionLimits limits, long maxBodyBytes, out HotRequest request, out bool ended)
    {
        request = default;
        int end = window.IndexOf("\r\n\r\n"u8);
        ended = end >= 0;
        if (end < 0)
        {
            return false;
        }

        ReadOnlySpan<byte> head = window[..(end + 2)];
        int lineEnd = head.IndexOf("\r\n"u8);
        // The line's CRLF counts too, so a line Kestrel might judge at its limit goes to Kestrel.
        if (lineEnd + 2 > limits.MaxRequestLineBytes || !TryReadLine(head[..lineEnd], out string? query))
        {
            return false;
        }

        long bodyLength = 0;
        int hosts = 0, lengths = 0, count = 0;
        ReadOnlySpan<byte> rest = head[(lineEnd + 2)..];
        while (!rest.IsEmpty)
        {
            int next = rest.IndexOf("\r\n"u8);
            ReadOnlySpan<byte> line = rest[..next];
            rest = rest[(next + 2)..];
            int colon = line.IndexOf((byte)':');
            if (++count > limits.MaxHeaderCount || colon <= 0 || line[..colon].ContainsAnyExcept(s_token))
            {
                return false;
            }

            ReadOnlySpan<byte> name = line[..colon];
            ReadOnlySpan<byte> value = line[(colon + 1)..].Trim(" \t"u8);
            if (value.ContainsAnyExcept(s_text))
            {
                return false;
            }

            if (Ascii.EqualsIgnoreCase(name, "Host"u8))
            {
                hosts++;
                if (value.IsEmpty || value.ContainsAnyExcept(s_host))
                {
                    return false;
                }
            }
            else if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
            {
                lengths++;
                if (value.Length > 15 || value.ContainsAnyExceptInRange((byte)'0', (byte)'9') || !Utf8Parser.TryParse(value, out bodyLength, out _))
                {
                    return false;
                }
            }
            else if (Ascii.EqualsIgnoreCase(name, "Connection"u8) ? !Ascii.EqualsIgnoreCase(value, "keep-alive"u8) : ChangesTheExchange(name))
            {
                return false;
            }
        }

        bool isPut = query is null;
        if (hosts != 1 || lengths != (isPut ? 1 : 0) || bodyLength > maxBodyBytes)
        {
            return false;
        }

        request = new HotRequest(query, end + 4, bodyLength);
        return true;
    }

    /// <summary><c>GET /get?query HTTP/1.1</c> (query: its plain visible ASCII, '#' excluded) or <c>POST /put HTTP/1.1</c> (query: null).</summary>
    private static bool TryReadLine(ReadOnlySpan<byte> line, out string? query)
    {
        query = null;
        if (!line.EndsWith(" HTTP/1.1"u8))
        {
            return false;
        }

        ReadOnlySpan<byte> start = line[..^" HTTP/1.1".Length];
        if (start.SequenceEqual("POST /put"u8))
        {
            return true;
        }

        if (!start.StartsWith("GET /get?"u8))
        {
            return false;
        }

        ReadOnlySpan<byte> raw = start["GET /get".Length..];
        if (raw.ContainsAnyExceptInRange((byte)'!', (byte)'~') || raw.Contains((byte)'#'))
        {
            return false;
        }

        query = Encoding.ASCII.GetString(raw);
        return true;
    }

    /// <summary>Headers that make a request more than a plain exchange (framing, upgrades, credentials): Kestrel and the key check take those.</summary>
    private static bool ChangesTheExchange(ReadOnlySpan<byte> name) =>
        Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8) || Ascii.EqualsIgnoreCase(name, "Expect"u8) || Ascii.EqualsIgnoreCase(name, "Upgrade"u8)
        || Ascii.EqualsIgnoreCase(name, "Authorization"u8) || Ascii.EqualsIgnoreCase(name, "X-API-Key"u8) || Ascii.EqualsIgnoreCase(name, "TE"u8)
        || Ascii.EqualsIgnoreCase(name, "Trailer"u8) || Ascii.EqualsIgnoreCase(name, "HTTP2-Settings"u8);
}
