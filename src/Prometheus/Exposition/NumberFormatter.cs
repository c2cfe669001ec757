using System.Globalization;

namespace KubeCache.Prometheus.Exposition;

/// <summary>
/// Invariant sample values: <c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>, integers without exponent and
/// plain decimals (<c>0.00005</c>, not <c>5E-05</c>) while the value stays within a readable range.
/// </summary>
internal static class NumberFormatter
{
    // Past these decimal exponents a plain rendering gets long; scientific notation is clearer there.
    private const int MinPlainExponent = -15;
    private const int MaxPlainExponent = 20;

    public static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Format(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "+Inf" : "-Inf";
        }

        // "R" is the shortest string that round-trips; it only needs rewriting when it used an exponent.
        string shortest = value.ToString("R", CultureInfo.InvariantCulture);
        int e = shortest.IndexOf('E', StringComparison.Ordinal);
        return e < 0 ? shortest : ExpandExponent(shortest, e);
    }

    private static string ExpandExponent(string text, int e)
    {
        int exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        if (exponent < MinPlainExponent || exponent > MaxPlainExponent)
        {
            return text.Replace("E+", "e+", StringComparison.Ordinal).Replace("E-", "e-", StringComparison.Ordinal);
        }

        bool negative = text[0] == '-';
        string mantissa = text[(negative ? 1 : 0)..e];
        int point = mantissa.IndexOf('.', StringComparison.Ordinal);
        string digits = point < 0 ? mantissa : mantissa.Remove(point, 1);
        int integerDigits = (point < 0 ? mantissa.Length : point) + exponent;

        string plain;
        if (integerDigits <= 0)
        {
            plain = "0." + new string('0', -integerDigits) + digits;
        }
        else if (integerDigits >= digits.Length)
        {
            plain = digits + new string('0', integerDigits - digits.Length);
        }
        else
        {
            plain = digits[..integerDigits] + "." + digits[integerDigits..];
        }

        return negative ? "-" + plain : plain;
    }
}
