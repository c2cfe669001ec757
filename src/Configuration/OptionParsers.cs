using System.Globalization;

namespace KubeCache.Configuration;

/// <summary>Value parsers for option specs; each failure names the flag and says what to write instead.</summary>
public static class OptionParsers
{
    public static int Int(string value, string flag) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n)
            ? n
            : throw new OptionException(flag, $"'{value}' is not a whole number.");

    public static long Bytes(string value, string flag, long max = long.MaxValue) =>
        OptionValues.TryParseBytes(value, out long bytes) && bytes <= max
            ? bytes
            : throw new OptionException(flag, $"'{value}' is not a size up to {max} bytes; write bytes or a unit such as 64mb or 2gb.");

    public static TimeSpan Duration(string value, string flag) =>
        OptionValues.TryParseDuration(value, out TimeSpan duration)
            ? duration
            : throw new OptionException(flag, $"'{value}' is not a duration; write seconds or e.g. 500ms, 30s, 5m, 2h.");

    public static bool Bool(string value, string flag) => value.ToUpperInvariant() switch
    {
        "TRUE" or "1" or "YES" => true,
        "FALSE" or "0" or "NO" => false,
        _ => throw new OptionException(flag, $"'{value}' is not true or false."),
    };
}
