using System.Diagnostics;
using System.Net;
using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Executable;

/// <summary>The node as users start it: the real executable in its own process.</summary>
public class NodeProcessTests
{
    [Fact]
    public async Task Start_InvalidOption_ExitsWithCode2NamingTheFlag()
    {
        using Process node = StartNode("--max-memory", "lots");

        string stderr = await node.StandardError.ReadToEndAsync();
        await WaitForExitAsync(node);

        Assert.Equal(2, node.ExitCode);
        Assert.Contains("--max-memory", stderr, StringComparison.Ordinal);
        Assert.Contains("'lots' is not a size", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_PrintsEveryOptionAndExitsZero()
    {
        using Process node = StartNode("--help");

        string stdout = await node.StandardOutput.ReadToEndAsync();
        await WaitForExitAsync(node);

        Assert.Equal(0, node.ExitCode);
        Assert.Contains("--max-memory", stdout, StringComparison.Ordinal);
        Assert.Contains("KVCACHE_RESP_PORT", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sigterm_WhileServing_ShutsDownGracefullyWithExitCodeZero()
    {
        int httpPort = Ports.Free(), respPort = Ports.Free();
        using Process node = StartNode(
            "--bind", "127.0.0.1", "--http-port", httpPort.ToString(), "--resp-port", respPort.ToString(), "--max-memory", "64mb");
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
            await NodeProcess.WaitReadyAsync(http);
            HttpResponseMessage put = await http.PostAsync("/put", new StringContent("{\"key\":\"k\",\"value\":\"v\"}"));
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);

            Assert.Equal(0, Kill(node.Id, signal: 15));
            await WaitForExitAsync(node);

            Assert.Equal(0, node.ExitCode);
        }
        finally
        {
            if (!node.HasExited)
            {
                node.Kill();
            }
        }
    }

    private static Process StartNode(params string[] args) => NodeProcess.Start(args);

    private static async Task WaitForExitAsync(Process process)
    {
        using var timeout = new CancellationTokenSource(NodeProcess.Deadline);
        await process.WaitForExitAsync(timeout.Token);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
