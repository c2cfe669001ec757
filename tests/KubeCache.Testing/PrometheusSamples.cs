using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace KubeCache.Testing;

/// <summary>Reads samples from a process's <c>GET /metrics</c> (Prometheus text format).</summary>
public static class PrometheusSamples
{
    /// <summary>Scrapes <c>/metrics</c> from the HTTP port at <paramref name="http"/>.</summary>
    public static async Task<string> ScrapeAsync(IPEndPoint http)
    {
        using var client = new HttpClient { BaseAddress = new Uri($"http://{http}"), Timeout = TimeSpan.FromSeconds(30) };
        return await client.GetStringAsync("/metrics");
    }

    /// <summary>The value of the sample with exactly these labels (<c>name="value",…</c> in the exposition's order); fails when there is none.</summary>
    public static double Sample(string metrics, string name, string labels)
    {
        Match match = Regex.Match(metrics, $@"(?m)^{Regex.Escape(name)}\{{{Regex.Escape(labels)}\}} (\S+)");
        Assert.True(match.Success, $"No sample {name}{{{labels}}} in:\n{metrics}");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}
