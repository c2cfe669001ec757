using System.Diagnostics;
using System.Net;

namespace KubeCache.Testing;

/// <summary>What a finished external process printed.</summary>
public sealed record ProcessOutput(int ExitCode, string StandardOutput, string StandardError)
{
    public string All => StandardOutput + StandardError;

    public override string ToString() => $"exit code {ExitCode}\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}";
}

/// <summary>
/// Runs redis-cli and redis-benchmark (Debian package redis-tools) against a router or a node. A missing
/// tool fails the test with the install command, and a process that outlives its timeout is
/// killed, with its whole tree, and fails the test.
/// </summary>
public static class RedisTools
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    public static Task<ProcessOutput> CliAsync(IPEndPoint endPoint, params string[] arguments) =>
        RunAsync("redis-cli", ["-h", endPoint.Address.ToString(), "-p", endPoint.Port.ToString(), .. arguments]);

    public static Task<ProcessOutput> BenchmarkAsync(IPEndPoint endPoint, params string[] arguments) =>
        RunAsync("redis-benchmark", ["-h", endPoint.Address.ToString(), "-p", endPoint.Port.ToString(), .. arguments]);

    /// <summary>Runs <paramref name="tool"/>, feeding <paramref name="standardInputFile"/> to it when given.</summary>
    public static async Task<ProcessOutput> RunAsync(
        string tool, IEnumerable<string> arguments, string? standardInputFile = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(Find(tool))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start.");
        using var deadline = new CancellationTokenSource(timeout ?? DefaultTimeout);
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(deadline.Token);
        Task<string> stderr = process.StandardError.ReadToEndAsync(deadline.Token);
        try
        {
            if (standardInputFile is not null)
            {
                await using FileStream input = File.OpenRead(standardInputFile);
                await input.CopyToAsync(process.StandardInput.BaseStream, deadline.Token);
            }

            process.StandardInput.Close();
            await process.WaitForExitAsync(deadline.Token);
            return new ProcessOutput(process.ExitCode, await stdout, await stderr);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{tool} {string.Join(' ', arguments)} did not finish within {timeout ?? DefaultTimeout} and was killed.");
            throw;
        }
    }

    /// <summary>The tool's path on PATH; fails the test with the install command when it is missing.</summary>
    public static string Find(string tool)
    {
        string path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (string directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(directory, tool);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        string package = tool == "redis-server" ? "redis-server" : "redis-tools";
        Assert.Fail($"{tool} is not on PATH. Install the {package} package (sudo apt-get install -y {package}); scripts/install-tools.sh does this.");
        throw new UnreachableException();
    }
}
