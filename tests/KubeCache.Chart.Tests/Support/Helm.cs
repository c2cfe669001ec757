using System.Diagnostics;

namespace KubeCache.Chart.Tests.Support;

/// <summary>Runs the real helm binary (v4): from KVCACHE_HELM, PATH, or .tools/bin where scripts/install-tools.sh puts it.</summary>
internal static class Helm
{
    /// <summary>Release name used by every render.</summary>
    public const string Release = "kvcache";

    /// <summary>Namespace used by every render.</summary>
    public const string Namespace = "cache-ns";

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);
    private static readonly Lazy<string> LazyPath = new(Locate);

    public static string Path => LazyPath.Value;

    /// <summary><c>helm template</c> of the chart with <c>--set</c> arguments ("a.b=c").</summary>
    public static HelmResult Template(params string[] sets) => Run(TemplateArgs(sets, setString: false));

    /// <summary><c>helm template</c> with <c>--set-string</c> arguments.</summary>
    public static HelmResult TemplateStrings(params string[] sets) => Run(TemplateArgs(sets, setString: true));

    public static HelmResult Run(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepoPaths.Root,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // helm keeps caches and plugins under HOME; a private one keeps runs independent of the machine.
        string home = Directory.CreateTempSubdirectory("kvcache-helm-").FullName;
        start.Environment["HELM_CACHE_HOME"] = System.IO.Path.Combine(home, "cache");
        start.Environment["HELM_CONFIG_HOME"] = System.IO.Path.Combine(home, "config");
        start.Environment["HELM_DATA_HOME"] = System.IO.Path.Combine(home, "data");
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

            return new HelmResult(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    private static List<string> TemplateArgs(string[] sets, bool setString)
    {
        var args = new List<string> { "template", Release, RepoPaths.Chart, "--namespace", Namespace };
        foreach (string set in sets)
        {
            args.Add(setString ? "--set-string" : "--set");
            args.Add(set);
        }

        return args;
    }

    private static string Locate()
    {
        string? path = Environment.GetEnvironmentVariable("KVCACHE_HELM");
        path ??= (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append(RepoPaths.Of(".tools", "bin"))
            .Select(dir => System.IO.Path.Combine(dir, "helm"))
            .FirstOrDefault(File.Exists);

        // A missing helm is a broken test environment, not a reason to pass.
        Assert.True(
            path is not null && File.Exists(path),
            "helm was not found (KVCACHE_HELM, PATH, .tools/bin). Run scripts/install-tools.sh test, "
            + "which installs helm v4 into .tools/bin.");
        return path!;
    }
}

/// <summary>What a helm run printed and how it exited.</summary>
internal sealed record HelmResult(int ExitCode, string Output, string Error)
{
    public string Describe() => $"exit code {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";

    /// <summary>The rendered objects; fails the test when helm failed.</summary>
    public Manifests Manifests()
    {
        Assert.True(ExitCode == 0, Describe());
        return Support.Manifests.Parse(Output);
    }
}
