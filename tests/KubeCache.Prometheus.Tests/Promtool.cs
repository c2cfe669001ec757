using System.Diagnostics;

namespace KubeCache.Prometheus.Tests;

/// <summary>Runs the real <c>promtool check metrics</c>, which parses and lints exposition text.</summary>
internal static class Promtool
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public static string Locate()
    {
        string? path = Environment.GetEnvironmentVariable("PATH")?
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin")
            .Select(dir => Path.Combine(dir, "promtool"))
            .FirstOrDefault(File.Exists);

        // Absent promtool is a broken test environment, not a reason to pass.
        Assert.True(
            path is not null,
            "promtool was not found on PATH or in /usr/bin. Install the Debian package `prometheus` "
            + "(sudo apt-get install prometheus); the project's test script installs it.");
        return path!;
    }

    /// <summary>Equivalent of <c>promtool check metrics &lt; file</c>: the file is fed to standard input.</summary>
    public static async Task<(int ExitCode, string Output)> CheckMetricsAsync(string file)
    {
        var start = new ProcessStartInfo(Locate(), ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(Deadline);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await using (var input = File.OpenRead(file))
        {
            await input.CopyToAsync(process.StandardInput.BaseStream, timeout.Token);
        }

        process.StandardInput.Close();
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
