using System.Globalization;
using System.Text;
using KubeCache.CacheNode.Storage;

namespace KubeCache.CacheNode.Resp.Commands;

/// <summary>
/// INCRBYFLOAT's arithmetic on decimal text. Redis adds in 80-bit long double and prints 17
/// decimals with trailing zeros cut, so 0.1 + 0.2 is "0.3"; C# has no long double, so the sum is
/// exact in <see cref="decimal"/> (28 digits) when both numbers fit, which gives the same text for
/// the numbers clients use, and falls back to <see cref="double"/> beyond decimal's range.
/// </summary>
internal static class FloatText
{
    /// <summary>Longest number text accepted, as Redis's MAX_LONG_DOUBLE_CHARS.</summary>
    private const int MaxLength = 5 * 1024;

    /// <summary>Decimals printed before trailing zeros are cut, as Redis's "%.17Lf".</summary>
    private const int Decimals = 17;

    public static StoreStatus TryAdd(ReadOnlySpan<byte> current, ReadOnlySpan<byte> increment, out byte[]? sum)
    {
        sum = null;
        if (!TryParse(current, out double a, out decimal? exactA) || !TryParse(increment, out double b, out decimal? exactB))
        {
            return StoreStatus.NotFloat;
        }

        if (exactA is { } x && exactB is { } y && TryAddExact(x, y, out decimal exact))
        {
            sum = Encoding.ASCII.GetBytes(Trim(Math.Round(exact, Decimals, MidpointRounding.ToEven).ToString("F" + Decimals, CultureInfo.InvariantCulture)));
            return StoreStatus.Ok;
        }

        double result = a + b;
        if (!double.IsFinite(result))
        {
            return StoreStatus.NotFinite;
        }

        sum = Encoding.ASCII.GetBytes(Trim(result.ToString("F" + Decimals, CultureInfo.InvariantCulture)));
        return StoreStatus.Ok;
    }

    /// <summary>
    /// Parses a number as strtold does for Redis: no surrounding spaces, "inf"/"infinity" allowed
    /// (the sum then fails as infinite), NaN refused. <paramref name="exact"/> is the decimal value when it fits.
    /// </summary>
    private static bool TryParse(ReadOnlySpan<byte> text, out double value, out decimal? exact)
    {
        exact = null;
        value = 0;
        if (text.IsEmpty || text.Length > MaxLength || IsSpace(text[0]) || IsSpace(text[^1]))
        {
            return false;
        }

        ReadOnlySpan<byte> unsigned = text[0] is (byte)'+' or (byte)'-' ? text[1..] : text;
        if (Ascii.EqualsIgnoreCase(unsigned, "inf"u8) || Ascii.EqualsIgnoreCase(unsigned, "infinity"u8))
        {
            value = text[0] == '-' ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }

        const NumberStyles Style = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
        if (!double.TryParse(text, Style, CultureInfo.InvariantCulture, out value) || !double.IsFinite(value))
        {
            return false;
        }

        if (decimal.TryParse(text, Style, CultureInfo.InvariantCulture, out decimal d))
        {
            exact = d;
        }

        return true;
    }

    /// <summary>Adds when the sum cannot pass decimal's range (each half of it at most).</summary>
    private static bool TryAddExact(decimal a, decimal b, out decimal sum)
    {
        const decimal Half = decimal.MaxValue / 2;
        bool fits = Math.Abs(a) <= Half && Math.Abs(b) <= Half;
        sum = fits ? a + b : 0;
        return fits;
    }

    /// <summary>Cuts trailing zeros, and the point when nothing follows it ("3.50000" → "3.5", "3.000" → "3").</summary>
    private static string Trim(string text) => text.Contains('.') ? text.TrimEnd('0').TrimEnd('.') : text;

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\v' or (byte)'\f' or (byte)'\r';
}
