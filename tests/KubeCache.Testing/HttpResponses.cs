using System.Text.RegularExpressions;

namespace KubeCache.Testing;

/// <summary>HTTP/1.1 responses read off a raw connection (<see cref="RawClient"/>), for comparing two servers' bytes.</summary>
public static partial class HttpResponses
{
    /// <summary>The complete responses in <paramref name="raw"/>, each without its Date header (the one line that may differ).</summary>
    public static List<string> Parse(string raw)
    {
        var responses = new List<string>();
        int start = 0;
        while (start < raw.Length)
        {
            int headEnd = raw.IndexOf("\r\n\r\n", start, StringComparison.Ordinal);
            if (headEnd < 0)
            {
                break;
            }

            Match length = ContentLength().Match(raw[start..headEnd]);
            int end = headEnd + 4 + (length.Success ? int.Parse(length.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0);
            if (end > raw.Length)
            {
                break;
            }

            responses.Add(DateLine().Replace(raw[start..end], ""));
            start = end;
        }

        return responses;
    }

    [GeneratedRegex("\r\nContent-Length: (\\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex ContentLength();

    [GeneratedRegex("\r\nDate: [^\r]*")]
    private static partial Regex DateLine();
}
