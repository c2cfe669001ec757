using System.Globalization;
using System.Net;
using KubeCache.Testing;

namespace KubeCache.EndToEnd.Tests.Support;

/// <summary>
/// A real node, or a real router in local mode with its own nodes, on free loopback ports, as a
/// user starts it: <c>dotnet KubeCache.CacheNode.dll …</c> or <c>dotnet KubeCache.Router.dll --local-nodes N …</c>.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    public static readonly TimeSpan ReadyDeadline = TimeSpan.FromSeconds(60);

    private ServerProcess(ChildProcess process, int httpPort, int respPort)
    {
        Process = process;
        HttpPort = httpPort;
        RespPort = respPort;
    }

    public ChildProcess Process { get; }

    public int HttpPort { get; }

    public int RespPort { get; }

    public Uri HttpUri => new($"http://127.0.0.1:{HttpPort}");

    public IPEndPoint RespEndPoint => new(IPAddress.Loopback, RespPort);

    /// <summary>A node answering misses with 200, as the assignment's load test expects.</summary>
    public static Task<ServerProcess> StartNodeAsync(string logDirectory, IReadOnlyDictionary<string, string>? environment = null) =>
        StartAsync("KubeCache.CacheNode.dll", [], "node", logDirectory, environment);

    /// <summary>A router in local mode with <paramref name="nodes"/> nodes, answering misses with 200.</summary>
    public static Task<ServerProcess> StartLocalRouterAsync(string logDirectory, int nodes = 3, IReadOnlyDictionary<string, string>? environment = null) =>
        StartAsync("KubeCache.Router.dll", ["--local-nodes", nodes.ToString(CultureInfo.InvariantCulture)], "router", logDirectory, environment);

    /// <summary>A metric's samples summed (see <see cref="MetricsText.ScrapeAsync"/>).</summary>
    public Task<double?> MetricAsync(string metric, string? label = null) => MetricsText.ScrapeAsync(HttpPort, metric, label);

    public ValueTask DisposeAsync() => Process.DisposeAsync();

    private static async Task<ServerProcess> StartAsync(
        string dll, string[] arguments, string name, string logDirectory, IReadOnlyDictionary<string, string>? environment)
    {
        int http = Ports.Free();
        int resp = Ports.Free();
        ChildProcess process = ChildProcess.Start(ChildProcess.DotnetHost,
            [ChildProcess.OutputDll(dll), "--bind", "127.0.0.1", "--http-port", http.ToString(CultureInfo.InvariantCulture),
                "--resp-port", resp.ToString(CultureInfo.InvariantCulture), "--miss-status", "200", .. arguments],
            environment ?? new Dictionary<string, string>(),
            Path.Combine(logDirectory, $"{name}-{http}.log"));
        var server = new ServerProcess(process, http, resp);
        try
        {
            await server.WaitReadyAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    private async Task WaitReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = HttpUri, Timeout = TimeSpan.FromSeconds(2) };
        await Poll.UntilAsync(
            async () =>
            {
                Assert.False(Process.HasExited, $"the process exited while starting:\n{ChildProcess.Tail(Process.LogFile)}");
                try
                {
                    using HttpResponseMessage ready = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
                    return ready.StatusCode == HttpStatusCode.OK;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    return false;
                }
            },
            "the process to answer /readyz",
            ReadyDeadline);
    }
}
