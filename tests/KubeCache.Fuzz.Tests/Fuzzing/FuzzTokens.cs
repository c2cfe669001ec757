using System.Text;

namespace KubeCache.Fuzz.Tests.Fuzzing;

/// <summary>
/// Byte strings that sit on the edges parsers get wrong: boundary integers, malformed UTF-8,
/// control bytes, line-ending pieces. Every target gets these plus its own syntax tokens.
/// </summary>
public static class FuzzTokens
{
    /// <summary>Integers around the int, uint, long and ulong limits, and integers that are not quite integers.</summary>
    public static IReadOnlyList<byte[]> BoundaryIntegers { get; } = Ascii(
        "0", "1", "-1", "-0", "00", "01", "+1", " 1", "1 ", "127", "128", "255", "256", "65535", "65536",
        "2147483646", "2147483647", "2147483648", "-2147483648", "-2147483649", "4294967295", "4294967296",
        "536870912", "536870913", "1048576", "1048577", "16777216", "16777217",
        "9223372036854775806", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
        "-9223372036854775809", "18446744073709551615", "18446744073709551616", "99999999999999999999999999",
        "1e400", "-1e400", "1e-400", "1.5", "0x10", "NaN", "Infinity", "1E2", "1_000");

    /// <summary>Invalid or awkward UTF-8 and control bytes.</summary>
    public static IReadOnlyList<byte[]> BadBytes { get; } =
    [
        [0x00], [0xFF], [0x80], [0xC0, 0x80], [0xC3], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF],
        [0xF4, 0x90, 0x80, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xEF, 0xBB, 0xBF], [0xF0, 0x9F, 0x98, 0x80],
        [0x7F], [0x1B], [0x0B], [0x0C], [0x09],
    ];

    /// <summary>Pieces of line endings, to split or double CRLF.</summary>
    public static IReadOnlyList<byte[]> LineBreaks { get; } = Ascii("\r", "\n", "\r\n", "\n\r", "\r\r\n", "\r\n\r\n");

    public static byte[][] Ascii(params string[] texts) => [.. texts.Select(Encoding.Latin1.GetBytes)];

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
