using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using KubeCache.EndToEnd.Tests.Support;
using KubeCache.Testing;

namespace KubeCache.EndToEnd.Tests.Scrape;

/// <summary>
/// The real <c>prometheus</c> (Debian package <c>prometheus</c>, installed by scripts/install-tools.sh)
/// scraping static targets every second, with its TSDB in a temp directory; disposing stops it.
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly HttpClient _http;
    private readonly string _directory;

    private PrometheusServer(ChildProcess process, int port, string directory)
    {
        _process = process;
        _directory = directory;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(5) };
    }

    public string LogFile => _process.LogFile;

    public static string Locate()
    {
        string? path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin").Select(dir => Path.Combine(dir, "prometheus")).FirstOrDefault(File.Exists);
        // An absent prometheus is a broken test environment, not a reason to pass.
        Assert.True(path is not null, "prometheus was not found on PATH or in /usr/bin; install the Debian package `prometheus` (scripts/install-tools.sh does).");
        return path!;
    }

    /// <summary>Starts Prometheus scraping <paramref name="jobs"/> (job name → host:port targets) every second.</summary>
    public static PrometheusServer Start(IReadOnlyDictionary<string, string[]> jobs)
    {
        string directory = Directory.CreateTempSubdirectory("kubecache-prometheus-").FullName;
        var config = new StringBuilder("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\nscrape_configs:\n");
        foreach ((string job, string[] targets) in jobs)
        {
            config.Append(CultureInfo.InvariantCulture, $"  - job_name: {job}\n    static_configs:\n      - targets: [{string.Join(", ", targets.Select(t => $"'{t}'"))}]\n");
        }
        string configFile = Path.Combine(directory, "prometheus.yml");
        File.WriteAllText(configFile, config.ToString());
        int port = Ports.Free();
        ChildProcess process = ChildProcess.Start(Locate(),
        [
            "--config.file=" + configFile,
            "--storage.tsdb.path=" + Path.Combine(directory, "data"),
            "--web.listen-address=127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture),
        ], new Dictionary<string, string>(), Path.Combine(directory, "prometheus.log"));
        return new PrometheusServer(process, port, directory);
    }

    /// <summary>The instant vector of <paramref name="promql"/> as (labels, value) pairs; empty while Prometheus is not up yet.</summary>
    public async Task<IReadOnlyList<(JsonObject Labels, string Value)>> QueryAsync(string promql)
    {
        Assert.False(_process.HasExited, "prometheus exited:\n" + ChildProcess.Tail(LogFile));
        try
        {
            JsonObject? answer = await _http.GetFromJsonAsync<JsonObject>("api/v1/query?query=" + Uri.EscapeDataString(promql));
            return [.. answer?["data"]?["result"].Objects().Select(r => ((JsonObject)r["metric"]!, r["value"]?[1]?.GetValue<string>() ?? "")) ?? []];
        }
        catch (HttpRequestException)
        {
            return [];
        }
        catch (TaskCanceledException)
        {
            return [];
        }
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _process.SignalAsync("TERM");
        await _process.WaitForExitAsync(TimeSpan.FromSeconds(10));
        await _process.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
