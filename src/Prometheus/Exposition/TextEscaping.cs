using System.Globalization;
using System.Text;

namespace KubeCache.Prometheus.Exposition;

/// <summary>Escaping rules of text format 0.0.4 for help text and label values.</summary>
internal static class TextEscaping
{
    /// <summary>HELP text escapes backslash and line feed.</summary>
    public static string EscapeHelp(string help) => Escape(help, escapeQuote: false);

    /// <summary>Label values escape backslash, double quote and line feed.</summary>
    public static string EscapeLabelValue(string value) => Escape(value, escapeQuote: true);

    /// <summary>Tag values are strings, numbers or booleans; numbers render invariantly.</summary>
    public static string TagValueText(object? value) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "true" : "false",
        double d => NumberFormatter.Format(d),
        float f when float.IsFinite(f) => f.ToString(CultureInfo.InvariantCulture),
        float f => NumberFormatter.Format(f),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Escape(string text, bool escapeQuote)
    {
        if (text.AsSpan().IndexOfAny('\\', '\n', escapeQuote ? '"' : '\n') < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 8);
        foreach (char c in text)
        {
            _ = c switch
            {
                '\\' => builder.Append(@"\\"),
                '\n' => builder.Append(@"\n"),
                '"' when escapeQuote => builder.Append("\\\""),
                _ => builder.Append(c),
            };
        }

        return builder.ToString();
    }
}
