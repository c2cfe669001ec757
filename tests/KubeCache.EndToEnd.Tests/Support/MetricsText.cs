using System.Globalization;
using System.Text.RegularExpressions;

namespace KubeCache.EndToEnd.Tests.Support;

/// <summary>Reads samples out of a Prometheus text exposition, as served on /metrics.</summary>
internal static partial class MetricsText
{
    /// <summary>
    /// The sum of the samples of <paramref name="metric"/> on <c>http://127.0.0.1:port/metrics</c>
    /// whose labels contain <paramref name="label"/> (e.g. <c>component="expiry"</c>; any when null):
    /// 0 when there is none, null while the process does not answer.
    /// </summary>
    public static async Task<double?> ScrapeAsync(int httpPort, string metric, string? label = null)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        string text;
        try
        {
            text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{httpPort}/metrics"));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }

        double sum = 0;
        foreach (Match sample in Sample().Matches(text))
        {
            if (sample.Groups["name"].Value == metric && (label is null || sample.Groups["labels"].Value.Contains(label, StringComparison.Ordinal)))
            {
                sum += double.Parse(sample.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }

        return sum;
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<labels>\{[^}]*\})? (?<value>[^ \n]+)", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
