using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using KubeCache.Configuration;
using KubeCache.Testing;
using Xunit.Abstractions;

namespace KubeCache.CacheNode.Tests.Executable;

/// <summary>
/// A node in a real 512 MiB memory cgroup with the largest --max-memory it accepts there (the
/// memory limit less --memory-reserve and --memory-headroom, 7/8 of that), fed three times the
/// limit in 4 KiB values, and again in values of 200,000 bytes: it must keep serving, evict, never be killed by the kernel or its own
/// runtime, and fail no request for lack of memory (a node that throws OutOfMemoryException on a
/// request closes the connection, and redis-benchmark exits 1). The headroom must stay free while
/// it runs: the GC heap's committed bytes (sampled from /metrics every 100 ms) stay at least half
/// the headroom below the heap's limit. Dropped record pages awaiting a full collection used to
/// fill it (443 of 448 MiB), and a small allocation then failed about one run in three under the
/// whole suite's load. Bound: 393,216 pipelined writes by redis-benchmark, well under a minute on a
/// loaded machine.
/// </summary>
public sealed class CgroupMemoryTests(ITestOutputHelper output)
{
    private const long Limit = 512L << 20;
    private static readonly MemorySizing Sizing = new(Limit, MemorySizing.DefaultReserveBytes);
    private static readonly long MaxMemory = Sizing.MaxBudget;
    /// <param name="valueBytes">4 KiB values share the pinned heap's 64 KiB pages; 200,000-byte ones get a page each on the large object heap.</param>
    [MemoryCgroupTheory]
    [InlineData(4096)]
    [InlineData(200_000)]
    public async Task Set_ThreeTimesTheContainerLimitAtTheLargestBudgetAccepted_NodeKeepsServingAndEvicts(int valueBytes)
    {
        int writes = (int)(3 * Limit / valueBytes);
        await using MemoryCgroup cgroup = MemoryCgroup.Create(Limit);
        int httpPort = Ports.Free(), respPort = Ports.Free();
        string log = Path.Combine(Path.GetTempPath(), $"kubecache-cgroup-node-{httpPort}.log");
        string[] node =
        [
            ChildProcess.OutputDll("KubeCache.CacheNode.dll"), "--bind", "127.0.0.1", "--http-port", $"{httpPort}", "--resp-port", $"{respPort}",
            "--max-memory", $"{MaxMemory}", "--node-name", "cgroup-node",
        ];
        await using ChildProcess process = ChildProcess.Start("/bin/sh", cgroup.Wrap(ChildProcess.DotnetHost, node), new Dictionary<string, string>(), log);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(5) };
        await Poll.UntilAsync(async () =>
        {
            Assert.False(process.HasExited, $"the node exited at start-up:\n{ChildProcess.Tail(log)}");
            try
            {
                return (await http.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode == HttpStatusCode.OK;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }, "the node in the cgroup to become ready", ServerProcess.StartDeadline, TimeSpan.FromMilliseconds(100));

        var resp = new IPEndPoint(IPAddress.Loopback, respPort);
        using var streamEnded = new CancellationTokenSource();
        Task<long> peakCommitted = PeakHeapCommittedAsync(http, streamEnded.Token);
        ProcessOutput written = await RedisTools.RunAsync("redis-benchmark",
            ["-h", "127.0.0.1", "-p", $"{respPort}", "-t", "set", "-d", $"{valueBytes}", "-r", "100000000", "-n", $"{writes}", "-c", "8", "-P", "4", "-q"],
            timeout: TimeSpan.FromMinutes(4));
        await streamEnded.CancelAsync();
        long committed = await peakCommitted;

        Assert.False(process.HasExited, $"the node died under the write stream (exit code {(process.HasExited ? process.ExitCode : 0)}):\n{ChildProcess.Tail(log)}");
        Assert.True(written.ExitCode == 0, $"redis-benchmark exited with {written.ExitCode}: {written.StandardError}\n{written.StandardOutput[^Math.Min(2000, written.StandardOutput.Length)..]}\nnode log:\n{ChildProcess.Tail(log)}");
        Assert.Equal("PONG", (await RedisTools.CliAsync(resp, "PING")).StandardOutput.Trim());
        using JsonDocument stats = JsonDocument.Parse(await http.GetStringAsync(new Uri("/stats", UriKind.Relative)));
        JsonElement evictions = stats.RootElement.GetProperty("evictions");
        long evicted = evictions.GetProperty("capacity").GetInt64() + evictions.GetProperty("memoryPressure").GetInt64();
        long items = stats.RootElement.GetProperty("items").GetInt64();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{writes} writes of {valueBytes} B at --max-memory {MaxMemory >> 20} MiB; cgroup peak {cgroup.PeakBytes / (1 << 20)} MiB of {Limit >> 20} MiB; " +
            $"GC heap committed at most {committed / (1 << 20)} MiB of {Sizing.HeapLimit >> 20} MiB; items {items}, evicted {evicted} " +
            $"(capacity {evictions.GetProperty("capacity").GetInt64()}, memory pressure {evictions.GetProperty("memoryPressure").GetInt64()})"));

        Assert.True(evicted > 0, "nothing was evicted although three times the container limit was written");
        Assert.True(items > 0, "the node holds nothing after the stream");
        Assert.Equal(0, cgroup.OomKills);
        Assert.True(committed <= Sizing.HeapLimit - (Sizing.HeadroomBytes / 2),
            $"the GC heap committed {committed >> 20} MiB of its {Sizing.HeapLimit >> 20} MiB limit: more than half of --memory-headroom ({Sizing.HeadroomBytes >> 20} MiB) was taken");
    }

    /// <summary>The largest <c>kvcache_memory_heap_committed_bytes</c> the node reports until <paramref name="stop"/>, scraped every 100 ms.</summary>
    private static async Task<long> PeakHeapCommittedAsync(HttpClient http, CancellationToken stop)
    {
        long peak = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                string metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative), CancellationToken.None);
                Match sample = Regex.Match(metrics, "^kvcache_memory_heap_committed_bytes(?:\\{[^}]*\\})? ([0-9.e+]+)", RegexOptions.Multiline);
                Assert.True(sample.Success, $"kvcache_memory_heap_committed_bytes is not in /metrics:\n{metrics}");
                peak = Math.Max(peak, (long)double.Parse(sample.Groups[1].Value, CultureInfo.InvariantCulture));
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // A node that died or stalled is reported by the checks after the stream.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), CancellationToken.None);
        }

        return peak;
    }
}
