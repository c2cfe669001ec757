using System.Globalization;
using System.Net;

namespace KubeCache.Testing;

/// <summary>
/// A real node or router process (KubeCache.CacheNode.dll or KubeCache.Router.dll from the test's
/// output, so the test project must reference both projects it starts) on loopback ports the
/// caller chose, its output in a log file. Started means ready: <c>GET /readyz</c> answered 200.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    /// <summary>How long a process may take to become ready on a loaded 2-core machine.</summary>
    public static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);

    private static readonly HttpClient Probe = new() { Timeout = TimeSpan.FromSeconds(2) };

    private ServerProcess(ChildProcess process, int httpPort, int respPort)
    {
        Process = process;
        HttpEndPoint = new IPEndPoint(IPAddress.Loopback, httpPort);
        RespEndPoint = new IPEndPoint(IPAddress.Loopback, respPort);
    }

    public IPEndPoint HttpEndPoint { get; }

    public IPEndPoint RespEndPoint { get; }

    public Uri HttpUri => new($"http://{HttpEndPoint}");

    public ChildProcess Process { get; }

    public int Pid => Process.Pid;

    public bool HasExited => Process.HasExited;

    public string LogFile => Process.LogFile;

    /// <summary>Starts a node named <paramref name="name"/> following <paramref name="ringFile"/>, with <paramref name="extra"/> flags.</summary>
    public static Task<ServerProcess> StartNodeAsync(string name, int httpPort, int respPort, string ringFile, string logFile, params string[] extra) =>
        StartAsync("KubeCache.CacheNode.dll", httpPort, respPort, logFile, ["--node-name", name, "--ring-file", ringFile, .. extra]);

    /// <summary>Starts a router following <paramref name="ringFile"/> (which must hold a ring, or it never becomes ready), with <paramref name="extra"/> flags.</summary>
    public static Task<ServerProcess> StartRouterAsync(int httpPort, int respPort, string ringFile, string logFile, params string[] extra) =>
        StartAsync("KubeCache.Router.dll", httpPort, respPort, logFile, ["--ring-file", ringFile, .. extra]);

    /// <summary>Starts <paramref name="dll"/> bound to 127.0.0.1 with <paramref name="arguments"/> and <paramref name="environment"/> (see <see cref="ChildProcess.Start"/>).</summary>
    public static async Task<ServerProcess> StartAsync(
        string dll, int httpPort, int respPort, string logFile, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        ChildProcess process = ChildProcess.Start(ChildProcess.DotnetHost,
            [ChildProcess.OutputDll(dll), "--bind", "127.0.0.1", "--http-port", Str(httpPort), "--resp-port", Str(respPort), .. arguments],
            environment ?? new Dictionary<string, string>(), logFile);
        var server = new ServerProcess(process, httpPort, respPort);
        try
        {
            await Poll.UntilAsync(async () =>
            {
                Assert.False(process.HasExited, $"{dll} exited with {(process.HasExited ? process.ExitCode : 0)}:\n{ChildProcess.Tail(logFile)}");
                return await server.IsReadyAsync();
            }, $"{dll} on port {httpPort} to become ready", StartDeadline, TimeSpan.FromMilliseconds(50));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>GET <paramref name="path"/> on the process's HTTP port; the body, or null when it does not answer 200.</summary>
    public async Task<string?> GetAsync(string path)
    {
        try
        {
            using HttpResponseMessage response = await Probe.GetAsync(new Uri($"http://{HttpEndPoint}{path}"));
            return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    private async Task<bool> IsReadyAsync() => await GetAsync("/readyz") is not null;

    /// <summary>Sends a POSIX signal (STOP, CONT, KILL); false when the process is gone.</summary>
    public Task<bool> SignalAsync(string signal) => Process.SignalAsync(signal);

    public ValueTask DisposeAsync() => Process.DisposeAsync();

    private static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);
}
