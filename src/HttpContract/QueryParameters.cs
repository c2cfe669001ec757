using System.Buffers;
using System.Text;

namespace KubeCache.HttpContract;

/// <summary>
/// Reads one parameter from a raw query string (<c>?a=1&amp;key=x</c>) the way HTML forms encode
/// it: <c>+</c> is a space and <c>%XX</c> a byte, so a key round-trips as the UTF-8 bytes the
/// client meant. A malformed escape is kept literally, as browsers do.
/// </summary>
public static class QueryParameters
{
    /// <summary>The first value of <paramref name="name"/> as decoded bytes, or null when absent.</summary>
    public static byte[]? Get(string? query, string name)
    {
        if (string.IsNullOrEmpty(query))
        {
            return null;
        }

        ReadOnlySpan<char> rest = query.AsSpan(query[0] == '?' ? 1 : 0);
        while (!rest.IsEmpty)
        {
            int amp = rest.IndexOf('&');
            ReadOnlySpan<char> pair = amp < 0 ? rest : rest[..amp];
            rest = amp < 0 ? [] : rest[(amp + 1)..];
            int eq = pair.IndexOf('=');
            ReadOnlySpan<char> key = eq < 0 ? pair : pair[..eq];
            if (key.SequenceEqual(name))
            {
                return Decode(eq < 0 ? [] : pair[(eq + 1)..]);
            }
        }

        return null;
    }

    public static byte[] Decode(ReadOnlySpan<char> text)
    {
        // Most keys are plain ASCII with nothing to unescape: their bytes are their chars.
        if (text.IndexOfAny('%', '+') < 0 && Ascii.IsValid(text))
        {
            byte[] plain = new byte[text.Length];
            Ascii.FromUtf16(text, plain, out _);
            return plain;
        }

        var bytes = new ArrayBufferWriter<byte>(Math.Max(text.Length, 1));
        Span<byte> utf8 = stackalloc byte[4];
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '+')
            {
                bytes.Write(" "u8);
            }
            else if (c == '%' && i + 2 < text.Length + 0 && IsHex(text[i + 1]) && IsHex(text[i + 2]))
            {
                bytes.Write([(byte)((Hex(text[i + 1]) << 4) | Hex(text[i + 2]))]);
                i += 2;
            }
            else if (c < 0x80)
            {
                bytes.Write([(byte)c]);
            }
            else
            {
                // Two chars only for a real pair: a lone surrogate becomes U+FFFD (3 bytes) on its
                // own, and must not swallow the char after it, which may be an escape.
                int width = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
                int length = Encoding.UTF8.GetBytes(text.Slice(i, width), utf8);
                bytes.Write(utf8[..length]);
                i += width - 1;
            }
        }

        return bytes.WrittenSpan.ToArray();
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int Hex(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
