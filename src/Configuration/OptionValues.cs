using System.Globalization;

namespace KubeCache.Configuration;

/// <summary>Parsers for option values: sizes like Redis writes them, and durations.</summary>
public static class OptionValues
{
    /// <summary>
    /// Parses a byte size the way redis.conf does: a plain number is bytes; k, m, g are powers of
    /// 1000 and kb, mb, gb powers of 1024 (case-insensitive). Returns false on anything else.
    /// </summary>
    public static bool TryParseBytes(string text, out long bytes)
    {
        bytes = 0;
        string t = text.Trim().ToLowerInvariant();
        (string suffix, long unit)[] units =
        [
            ("gb", 1L << 30), ("mb", 1L << 20), ("kb", 1L << 10),
            ("g", 1_000_000_000), ("m", 1_000_000), ("k", 1000), ("b", 1),
        ];
        long multiplier = 1;
        foreach ((string suffix, long unit) in units)
        {
            if (t.EndsWith(suffix, StringComparison.Ordinal))
            {
                t = t[..^suffix.Length];
                multiplier = unit;
                break;
            }
        }

        if (!long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out long number) || number > long.MaxValue / multiplier)
        {
            return false;
        }

        bytes = number * multiplier;
        return true;
    }

    /// <summary>Parses a duration: a plain number is seconds; the suffixes ms, s, m and h are accepted.</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        string t = text.Trim().ToLowerInvariant();
        (string suffix, double seconds)[] units = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)];
        double scale = 1;
        foreach ((string suffix, double seconds) in units)
        {
            if (t.EndsWith(suffix, StringComparison.Ordinal))
            {
                t = t[..^suffix.Length];
                scale = seconds;
                break;
            }
        }

        if (!long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out long number) || number > 1_000_000_000_000)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(number * scale);
        return true;
    }
}
