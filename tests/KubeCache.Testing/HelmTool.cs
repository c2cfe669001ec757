using System.Diagnostics;

namespace KubeCache.Testing;

/// <summary>Runs the real helm binary (v4): from KVCACHE_HELM, PATH, or .tools/bin where scripts/install-tools.sh puts it.</summary>
public static class HelmTool
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    /// <summary>Runs helm in <paramref name="repoRoot"/> with a private HOME; returns its exit code, stdout and stderr.</summary>
    public static (int ExitCode, string Output, string Error) Run(string repoRoot, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(Locate(repoRoot))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = repoRoot,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // helm keeps caches and plugins under HOME; a private one keeps runs independent of the machine.
        string home = Directory.CreateTempSubdirectory("kvcache-helm-").FullName;
        start.Environment["HELM_CACHE_HOME"] = Path.Combine(home, "cache");
        start.Environment["HELM_CONFIG_HOME"] = Path.Combine(home, "config");
        start.Environment["HELM_DATA_HOME"] = Path.Combine(home, "data");
        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Deadline))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"helm {string.Join(' ', start.ArgumentList)} did not finish within {Deadline.TotalSeconds}s.");
            }

            return (process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    private static string Locate(string repoRoot)
    {
        string? path = Environment.GetEnvironmentVariable("KVCACHE_HELM");
        path ??= (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append(Path.Combine(repoRoot, ".tools", "bin"))
            .Select(dir => Path.Combine(dir, "helm"))
            .FirstOrDefault(File.Exists);

        // A missing helm is a broken test environment, not a reason to pass.
        Assert.True(
            path is not null && File.Exists(path),
            "helm was not found (KVCACHE_HELM, PATH, .tools/bin). Run scripts/install-tools.sh test, "
            + "which installs helm v4 into .tools/bin.");
        return path!;
    }
}
