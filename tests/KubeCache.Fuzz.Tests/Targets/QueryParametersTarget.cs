using System.Text;
using KubeCache.Fuzz.Tests.Fuzzing;
using KubeCache.HttpContract;

namespace KubeCache.Fuzz.Tests.Targets;

/// <summary>
/// Query-string decoding (<see cref="QueryParameters.Get"/>). The input bytes become the query
/// text as UTF-8, except that <c>ED xx xx</c> decodes to the UTF-16 unit it spells, lone
/// surrogates included, and other invalid bytes become Latin-1 chars, so every kind of string a
/// caller could pass is reachable. Oracle: no exception; the result equals a plain reference
/// decoder's (the first <c>name=value</c> pair, <c>+</c> a space, <c>%XX</c> a byte, other text
/// as UTF-8 with U+FFFD for lone surrogates); decoding allocates at most 16 bytes per input byte
/// plus 4 KiB.
/// </summary>
public sealed class QueryParametersTarget : IFuzzTarget
{
    private static readonly string[] s_names = ["key", "keys", "x", "k"];

    public string Name => "query-parameters";

    public IReadOnlyList<byte[]> Corpus { get; } = [.. new[]
    {
        "key=abc", "?key=a%20b+c&x=1", "keys=a,b,c", "key=%E2%82%AC%F0%9F%98%80", "x=1&key=first&key=second",
        "key=%zz%4&key2=%%41", "key", "key=&keys=", "?&&key=caf\u00e9=x", "k=%FF%FE%00",
    }.Select(Encoding.UTF8.GetBytes)];

    public IReadOnlyList<byte[]> Tokens { get; } = FuzzTokens.Ascii("%", "%4", "%41", "%zz", "+", "&", "=", "?", "key=", "keys=", "%ED%A0%80");

    public IReadOnlyList<byte> Alphabet { get; } = "%+&=?keyabc0123456789ABCDEFf,"u8.ToArray();

    public string Run(FuzzCase fuzzCase)
    {
        string query = ToQueryText(fuzzCase.Input);
        int found = 0;
        foreach (string name in s_names)
        {
            byte[]? actual = Oracle.WithinAllocation(fuzzCase.Input.Length, 16, 4096, () => QueryParameters.Get(query, name));
            byte[]? expected = Reference(query, name);
            Oracle.That(
                actual is null ? expected is null : expected is not null && actual.AsSpan().SequenceEqual(expected), "reference",
                $"Get(\"{Escape(query)}\", \"{name}\") gave {Show(actual)}; the reference decoder gives {Show(expected)}");
            found += actual is null ? 0 : 1;
        }

        return $"{found} of {s_names.Length} names present";
    }

    /// <summary>UTF-8 where valid; <c>ED xx xx</c> as the unit it spells (surrogates too); any other byte as Latin-1.</summary>
    public static string ToQueryText(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length);
        for (int i = 0; i < bytes.Length;)
        {
            if (bytes[i] == 0xED && i + 2 < bytes.Length && (bytes[i + 1] & 0xC0) == 0x80 && (bytes[i + 2] & 0xC0) == 0x80)
            {
                text.Append((char)(0xD000 | ((bytes[i + 1] & 0x3F) << 6) | (bytes[i + 2] & 0x3F)));
                i += 3;
            }
            else if (Rune.DecodeFromUtf8(bytes[i..], out Rune rune, out int length) == System.Buffers.OperationStatus.Done)
            {
                text.Append(rune.ToString());
                i += length;
            }
            else
            {
                text.Append((char)bytes[i]);
                i++;
            }
        }

        return text.ToString();
    }

    private static byte[]? Reference(string query, string name)
    {
        string rest = query.StartsWith('?') ? query[1..] : query;

        foreach (string pair in rest.Split('&'))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            if ((eq < 0 ? pair : pair[..eq]) == name)
            {
                return DecodeReference(eq < 0 ? string.Empty : pair[(eq + 1)..]);
            }
        }

        return null;
    }

    private static byte[] DecodeReference(string text)
    {
        var bytes = new List<byte>();
        var literal = new StringBuilder();
        for (int i = 0; i < text.Length; i++)
        {
            byte? escaped = text[i] == '+' ? (byte)' '
                : text[i] == '%' && i + 2 < text.Length && char.IsAsciiHexDigit(text[i + 1]) && char.IsAsciiHexDigit(text[i + 2])
                    ? Convert.ToByte(text.Substring(i + 1, 2), 16) : null;
            if (escaped is null)
            {
                literal.Append(text[i]);
                continue;
            }

            bytes.AddRange(Encoding.UTF8.GetBytes(literal.ToString()));
            literal.Clear();
            bytes.Add(escaped.Value);
            i += text[i] == '%' ? 2 : 0;
        }

        bytes.AddRange(Encoding.UTF8.GetBytes(literal.ToString()));
        return [.. bytes];
    }

    private static string Show(byte[]? bytes) => bytes is null ? "null" : Convert.ToHexString(bytes);

    private static string Escape(string text) => string.Concat(text.Select(c => c is >= ' ' and < '\x7f' ? c.ToString() : $"\\u{(int)c:x4}"));
}
