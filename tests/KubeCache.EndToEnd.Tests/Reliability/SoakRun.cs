using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using KubeCache.Testing;
using KubeCache.Testing.Load;

namespace KubeCache.EndToEnd.Tests.Reliability;

/// <summary>What one soak run measured.</summary>
internal sealed record SoakResult(string Name, TimeSpan Duration, long Requests, long Errors, long OutageErrors, int Changes,
    long WarmRssBytes, long PeakRssBytes, long FinalRssBytes, IReadOnlyCollection<string> Messages)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Name}: {Duration.TotalSeconds:F0} s, {Requests:N0} requests, {Errors} errors, {OutageErrors} during outages, {Changes} ring changes/restarts; " +
        $"RSS (process tree) after warm-up {Mib(WarmRssBytes)} MiB, peak {Mib(PeakRssBytes)} MiB, final {Mib(FinalRssBytes)} MiB");

    private static long Mib(long bytes) => bytes / (1024 * 1024);
}

/// <summary>
/// One soak run: a load against a real server process for a set time while its resident memory
/// (the process and its children) is sampled every second, and, with churn on, ring changes and
/// node restarts through local mode's admin API. Settings come from the environment so that
/// <c>bench/soak.sh</c> runs the same code for longer: <c>KVCACHE_SOAK_SECONDS</c> (default 25),
/// <c>KVCACHE_SOAK_CHURN=1</c>, <c>KVCACHE_SOAK_RESULTS</c> (a file each result line is appended to).
/// </summary>
internal static class SoakRun
{
    /// <summary>
    /// Growth allowed from after warm-up to the end: 25% plus 32 MiB. A leak of a few hundred bytes
    /// per request passes it in 25 s but not in bench/soak.sh's 10 minutes; GC heap sizing after
    /// warm-up stays well inside it.
    /// </summary>
    public const double AllowedGrowthFactor = 1.25;

    public const long AllowedGrowthBytes = 32L * 1024 * 1024;

    public static TimeSpan Duration =>
        TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("KVCACHE_SOAK_SECONDS"), out int seconds) ? seconds : 25);

    public static bool Churn => Environment.GetEnvironmentVariable("KVCACHE_SOAK_CHURN") == "1";

    /// <summary>Runs <paramref name="load"/> against <paramref name="server"/>; churns the ring when <paramref name="churn"/>.</summary>
    public static async Task<SoakResult> RunAsync(string name, ServerProcess server, Func<LoadTally, CancellationToken, Task> load, bool churn)
    {
        TimeSpan duration = Duration;
        TimeSpan warmUp = TimeSpan.FromTicks(Math.Min(duration.Ticks / 3, TimeSpan.FromSeconds(60).Ticks));
        var tally = new LoadTally();
        using var stop = new CancellationTokenSource(duration);
        var clock = Stopwatch.StartNew();
        Task running = load(tally, stop.Token);
        Task<int> changes = churn ? ChurnAsync(server, tally, stop.Token) : Task.FromResult(0);

        long warm = 0, peak = 0, last = 0;
        while (!running.IsCompleted)
        {
            Assert.False(server.Process.HasExited, $"{name}: the server process ended:\n{ChildProcess.Tail(server.Process.LogFile)}");
            last = ResidentMemory.Tree(server.Process.Pid).Sum(pid => ResidentMemory.Of(pid) ?? 0);
            peak = Math.Max(peak, last);
            if (warm == 0 && clock.Elapsed >= warmUp)
            {
                warm = last;
            }

            await Task.WhenAny(running, Task.Delay(TimeSpan.FromSeconds(1)));
        }

        await running;
        var result = new SoakResult(name, clock.Elapsed, tally.Requests, tally.Errors, tally.OutageErrors, await changes, warm, peak, last, tally.Messages);
        if (Environment.GetEnvironmentVariable("KVCACHE_SOAK_RESULTS") is { Length: > 0 } file)
        {
            await File.AppendAllTextAsync(file, result + Environment.NewLine);
        }

        return result;
    }

    /// <summary>Checks what every soak run must show: the process alive, no failed request, memory that stopped growing.</summary>
    public static void AssertHealthy(SoakResult result, ServerProcess server)
    {
        Assert.False(server.Process.HasExited, $"{result.Name}: the server process ended:\n{ChildProcess.Tail(server.Process.LogFile)}");
        Assert.True(result.Requests > 0, $"{result.Name}: no request was answered");
        Assert.True(result.Errors == 0, $"{result}\nfirst failures:\n{string.Join('\n', result.Messages)}");
        long allowed = (long)(result.WarmRssBytes * AllowedGrowthFactor) + AllowedGrowthBytes;
        Assert.True(result.FinalRssBytes <= allowed, $"{result}: resident memory grew past {allowed / (1024 * 1024)} MiB (after warm-up x {AllowedGrowthFactor} + 32 MiB)");
    }

    /// <summary>
    /// Every sixth of the run after the previous change ended: add a node, remove the oldest, or
    /// kill a node (-9) and restart it through the admin API; a change still running when the run
    /// ends is abandoned (the router finishes it on its own). Requests that fail while the killed node is down are its outage,
    /// counted apart; ring changes must fail none.
    /// </summary>
    private static async Task<int> ChurnAsync(ServerProcess router, LoadTally tally, CancellationToken stop)
    {
        using var http = new HttpClient { BaseAddress = router.HttpUri, Timeout = TimeSpan.FromMinutes(5) };
        TimeSpan interval = Duration / 6;
        int changes = 0;
        try
        {
            while (true)
            {
                await Task.Delay(interval, stop);
                JsonArray nodes = JsonNode.Parse(await http.GetStringAsync(new Uri("/admin/nodes", UriKind.Relative), stop))!.AsArray();
                string oldest = nodes[0]!["name"]!.GetValue<string>();
                switch (changes % 3)
                {
                    case 0:
                        await SucceedAsync(http.PostAsync(new Uri("/admin/nodes", UriKind.Relative), null, stop));
                        break;
                    case 1:
                        await SucceedAsync(http.DeleteAsync(new Uri($"/admin/nodes/{oldest}", UriKind.Relative), stop));
                        break;
                    default:
                        await KillAndRestartAsync(http, router, oldest, tally, stop);
                        break;
                }

                changes++;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return changes;
        }
    }

    private static async Task KillAndRestartAsync(HttpClient http, ServerProcess router, string node, LoadTally tally, CancellationToken stop)
    {
        int pid = ResidentMemory.Tree(router.Process.Pid).Single(p => CommandLine(p).Contains($"--node-name\0{node}\0", StringComparison.Ordinal));
        tally.OutageOpen = true;
        try
        {
            Process.GetProcessById(pid).Kill();
            await Poll.UntilAsync(
                async () => JsonNode.Parse(await http.GetStringAsync(new Uri("/admin/nodes", UriKind.Relative), stop))!.AsArray()
                    .Any(n => n!["name"]!.GetValue<string>() == node && !n["running"]!.GetValue<bool>()),
                $"the router to see {node} exit",
                TimeSpan.FromSeconds(30));
            await SucceedAsync(http.PostAsync(new Uri($"/admin/nodes/{node}/restart", UriKind.Relative), null, stop));

            // The router probes a node it marked down again within the longest mark-down (5 s).
            await Task.Delay(TimeSpan.FromSeconds(6), stop);
        }
        finally
        {
            tally.OutageOpen = false;
        }
    }

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline");
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static async Task SucceedAsync(Task<HttpResponseMessage> request)
    {
        using HttpResponseMessage response = await request;
        Assert.True(response.IsSuccessStatusCode, $"admin request failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
