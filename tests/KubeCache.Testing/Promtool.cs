using System.Diagnostics;

namespace KubeCache.Testing;

/// <summary>Runs the real promtool (Debian's <c>prometheus</c> package, which scripts/install-tools.sh installs).</summary>
public static class Promtool
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary><c>promtool check metrics</c> on <paramref name="exposition"/>, fed to its standard input.</summary>
    public static Task<(int ExitCode, string Output)> CheckMetricsAsync(string exposition) => RunAsync(["check", "metrics"], exposition);

    /// <summary><c>promtool check rules</c> on a rule file.</summary>
    public static Task<(int ExitCode, string Output)> CheckRulesAsync(string ruleFile) => RunAsync(["check", "rules", ruleFile]);

    /// <summary><c>promtool test rules</c> on a unit-test file (its rule_files are read relative to it).</summary>
    public static Task<(int ExitCode, string Output)> TestRulesAsync(string testFile) => RunAsync(["test", "rules", testFile]);

    /// <summary>Runs promtool with <paramref name="args"/> and, when given, <paramref name="input"/> on its standard input; returns its exit code and output (stdout, then stderr).</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(IEnumerable<string> args, string? input = null)
    {
        var start = new ProcessStartInfo(Locate(), args)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(Deadline);
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        Task<string> stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input.AsMemory(), timeout.Token);
        }

        process.StandardInput.Close();
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string Locate()
    {
        string? path = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin")
            .Select(dir => Path.Combine(dir, "promtool"))
            .FirstOrDefault(File.Exists);

        // A missing promtool is a broken test environment, not a reason to pass.
        Assert.True(
            path is not null,
            "promtool was not found on PATH or in /usr/bin. Install the Debian package `prometheus` "
            + "(sudo apt-get install prometheus); scripts/install-tools.sh test installs it.");
        return path!;
    }
}
