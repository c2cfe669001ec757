using System.Text;

namespace KubeCache.Prometheus.Exposition;

/// <summary>
/// Turns OpenTelemetry-style instrument names and UCUM units into Prometheus metric names
/// (<c>kvcache.request.duration</c> + <c>s</c> → <c>kvcache_request_duration_seconds</c>).
/// </summary>
internal static class MetricNamer
{
    private const string TotalSuffix = "_total";

    public static string FamilyName(string instrumentName, string? unit, MetricType type)
    {
        string name = SanitizeMetricName(instrumentName);
        bool isCounter = type == MetricType.Counter;
        if (isCounter && name.EndsWith(TotalSuffix, StringComparison.Ordinal) && name.Length > TotalSuffix.Length)
        {
            // Strip so the unit can go before _total, then add it back once.
            name = name[..^TotalSuffix.Length];
        }

        string unitSuffix = UnitSuffix(unit);
        if (unitSuffix.Length > 0 && !name.EndsWith("_" + unitSuffix, StringComparison.Ordinal))
        {
            name = name + "_" + unitSuffix;
        }

        return isCounter ? name + TotalSuffix : name;
    }

    /// <summary>Keeps <c>[a-zA-Z0-9_]</c>, maps the rest to one <c>_</c>; colons are left to recording rules.</summary>
    public static string SanitizeMetricName(string name)
    {
        var builder = new StringBuilder(name.Length + 1);
        foreach (char c in name)
        {
            bool valid = char.IsAsciiLetterOrDigit(c) || c == '_';
            char next = valid ? c : '_';
            if (next == '_' && builder.Length > 0 && builder[^1] == '_')
            {
                continue;
            }

            builder.Append(next);
        }

        if (builder.Length == 0 || char.IsAsciiDigit(builder[0]))
        {
            builder.Insert(0, '_');
        }

        return builder.ToString();
    }

    /// <summary>Label names allow <c>[a-zA-Z0-9_]</c> and must not start with a digit.</summary>
    public static string SanitizeLabelName(string name)
    {
        var builder = new StringBuilder(name.Length + 1);
        foreach (char c in name)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        }

        if (builder.Length == 0 || char.IsAsciiDigit(builder[0]))
        {
            builder.Insert(0, '_');
        }

        return builder.ToString();
    }

    /// <summary>
    /// The name suffix for a UCUM unit: <c>s</c> → <c>seconds</c>, <c>By</c> → <c>bytes</c>,
    /// <c>By/s</c> → <c>bytes_per_second</c>; annotations such as <c>{request}</c> and the unit <c>1</c> add nothing.
    /// </summary>
    public static string UnitSuffix(string? unit)
    {
        if (string.IsNullOrWhiteSpace(unit))
        {
            return "";
        }

        string bare = StripAnnotations(unit).Trim();
        int slash = bare.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return BaseUnit(bare);
        }

        string numerator = BaseUnit(bare[..slash]);
        string denominator = PerUnit(bare[(slash + 1)..]);
        if (denominator.Length == 0)
        {
            return numerator;
        }

        return numerator.Length == 0 ? "per_" + denominator : numerator + "_per_" + denominator;
    }

    private static string StripAnnotations(string unit)
    {
        var builder = new StringBuilder(unit.Length);
        int depth = 0;
        foreach (char c in unit)
        {
            if (c == '{')
            {
                depth++;
            }
            else if (c == '}' && depth > 0)
            {
                depth--;
            }
            else if (depth == 0)
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static string BaseUnit(string unit) => unit switch
    {
        "" or "1" => "",
        "s" => "seconds",
        "ms" => "milliseconds",
        "us" => "microseconds",
        "ns" => "nanoseconds",
        "min" => "minutes",
        "h" => "hours",
        "d" => "days",
        "By" => "bytes",
        "KiBy" => "kibibytes",
        "MiBy" => "mebibytes",
        "GiBy" => "gibibytes",
        "KBy" => "kilobytes",
        "MBy" => "megabytes",
        "GBy" => "gigabytes",
        "bit" => "bits",
        "m" => "meters",
        "Hz" => "hertz",
        "Cel" => "celsius",
        "%" => "percent",
        _ => SanitizeMetricName(unit).Trim('_').ToLowerInvariant(),
    };

    private static string PerUnit(string unit) => unit switch
    {
        "s" => "second",
        "min" or "m" => "minute",
        "h" => "hour",
        "d" => "day",
        _ => BaseUnit(unit),
    };
}
