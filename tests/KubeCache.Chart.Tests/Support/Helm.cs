using KubeCache.Testing;

namespace KubeCache.Chart.Tests.Support;

/// <summary>The chart rendered by the real helm (<see cref="HelmTool"/>) as release <see cref="Release"/> in <see cref="Namespace"/>.</summary>
internal static class Helm
{
    /// <summary>Release name used by every render.</summary>
    public const string Release = "kvcache";

    /// <summary>Namespace used by every render.</summary>
    public const string Namespace = "cache-ns";

    /// <summary><c>helm template</c> of the chart with <c>--set</c> arguments ("a.b=c").</summary>
    public static HelmResult Template(params string[] sets) => Run(TemplateArgs(sets, setString: false));

    /// <summary><c>helm template</c> with <c>--set-string</c> arguments.</summary>
    public static HelmResult TemplateStrings(params string[] sets) => Run(TemplateArgs(sets, setString: true));

    public static HelmResult Run(IEnumerable<string> args)
    {
        (int exitCode, string output, string error) = HelmTool.Run(RepoPaths.Root, args);
        return new HelmResult(exitCode, output, error);
    }

    private static List<string> TemplateArgs(string[] sets, bool setString)
    {
        var args = new List<string> { "template", Release, RepoPaths.Of("charts", "kvcache"), "--namespace", Namespace };
        foreach (string set in sets)
        {
            args.Add(setString ? "--set-string" : "--set");
            args.Add(set);
        }

        return args;
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
