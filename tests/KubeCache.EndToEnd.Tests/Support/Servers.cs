using System.Globalization;
using KubeCache.Testing;

namespace KubeCache.EndToEnd.Tests.Support;

/// <summary>
/// A real node, or a real router in local mode with its own nodes, on free loopback ports, as a
/// user starts it: <c>dotnet KubeCache.CacheNode.dll …</c> or <c>dotnet KubeCache.Local.dll --local-nodes N …</c>.
/// </summary>
internal static class Servers
{
    /// <summary>A node answering misses with 200, as the assignment's load test expects.</summary>
    public static Task<ServerProcess> StartNodeAsync(string logDirectory, IReadOnlyDictionary<string, string>? environment = null) =>
        StartAsync("KubeCache.CacheNode.dll", [], "node", logDirectory, environment);

    /// <summary>A router in local mode with <paramref name="nodes"/> nodes, answering misses with 200.</summary>
    public static Task<ServerProcess> StartLocalRouterAsync(string logDirectory, int nodes = 3, IReadOnlyDictionary<string, string>? environment = null) =>
        StartAsync("KubeCache.Local.dll", ["--local-nodes", nodes.ToString(CultureInfo.InvariantCulture)], "router", logDirectory, environment);

    /// <summary>A metric's samples summed (see <see cref="MetricsText.ScrapeAsync"/>).</summary>
    public static Task<double?> MetricAsync(this ServerProcess server, string metric, string? label = null) =>
        MetricsText.ScrapeAsync(server.HttpEndPoint.Port, metric, label);

    private static Task<ServerProcess> StartAsync(
        string dll, string[] arguments, string name, string logDirectory, IReadOnlyDictionary<string, string>? environment)
    {
        int http = Ports.Free();
        return ServerProcess.StartAsync(dll, http, Ports.Free(), Path.Combine(logDirectory, $"{name}-{http}.log"),
            ["--miss-status", "200", .. arguments], environment);
    }
}
