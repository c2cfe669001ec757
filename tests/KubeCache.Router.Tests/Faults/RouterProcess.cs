using System.Diagnostics;
using System.Net;
using KubeCache.Router.Tests.Support;
using KubeCache.Testing;

namespace KubeCache.Router.Tests.Faults;

/// <summary>A real router process (KubeCache.Router.dll from the test's output) following a ring file.</summary>
internal sealed class RouterProcess : IAsyncDisposable
{
    private readonly Process _process;

    private RouterProcess(Process process, int httpPort, int respPort)
    {
        _process = process;
        HttpPort = httpPort;
        RespEndPoint = new IPEndPoint(IPAddress.Loopback, respPort);
    }

    public int HttpPort { get; }

    public IPEndPoint RespEndPoint { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public static async Task<RouterProcess> StartAsync(string ringFile)
    {
        int http = Ports.Free(), resp = Ports.Free();
        string dll = Path.Combine(AppContext.BaseDirectory, "KubeCache.Router.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in new[] { dll, "--ring-file", ringFile, "--bind", "127.0.0.1", "--http-port", $"{http}", "--resp-port", $"{resp}", "--ring-poll-interval", "200ms" })
        {
            start.ArgumentList.Add(argument);
        }

        Process process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var router = new RouterProcess(process, http, resp);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await Poll.UntilAsync(async () =>
        {
            Assert.False(process.HasExited, $"the router process exited with {(process.HasExited ? process.ExitCode : 0)}");
            try
            {
                using HttpResponseMessage ready = await client.GetAsync(new Uri($"http://127.0.0.1:{http}/readyz"));
                return ready.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, "the router process to become ready", TimeSpan.FromSeconds(60));
        return router;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
