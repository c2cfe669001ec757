using System.Text.RegularExpressions;
using KubeCache.Testing;

namespace KubeCache.Chart.Tests.Support;

/// <summary>A Dockerfile's instructions grouped by stage (continuation lines joined, comments dropped).</summary>
internal sealed partial record Dockerfile(IReadOnlyList<Dockerfile.Stage> Stages)
{
    public sealed record Instruction(string Keyword, string Arguments)
    {
        /// <summary>
        /// The commands a RUN runs: a <c>for x in a b; do …; done</c> loop gives its body once per
        /// item with <c>$x</c> replaced; any other RUN is one command.
        /// </summary>
        public IEnumerable<string> Commands()
        {
            Match loop = ShellLoop().Match(Arguments);
            return loop.Success
                ? loop.Groups["items"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                    .Select(item => loop.Groups["body"].Value.Replace("$" + loop.Groups["variable"].Value, item, StringComparison.Ordinal))
                : [Arguments];
        }
    }

    public sealed record Stage(string Image, string? Name, IReadOnlyList<Instruction> Instructions)
    {
        public IEnumerable<string> Arguments(string keyword) =>
            Instructions.Where(i => i.Keyword == keyword).Select(i => i.Arguments);
    }

    /// <summary>The repository's Dockerfile, whose targets are the images.</summary>
    public static Dockerfile Load() => Parse(File.ReadAllText(RepoPaths.Of("Dockerfile")));

    /// <summary>The stages that are images: those with an ENTRYPOINT, each a build target.</summary>
    public IEnumerable<Stage> Images => Stages.Where(s => s.Arguments("ENTRYPOINT").Any());

    public Stage Target(string name) => Stages.Single(s => s.Name == name);

    /// <summary><paramref name="stage"/> and the stages it is built FROM, nearest first; the last one starts from an outside image.</summary>
    public IEnumerable<Stage> Lineage(Stage stage)
    {
        for (Stage? current = stage; current is not null; current = Stages.SingleOrDefault(s => s.Name == current.Image))
        {
            yield return current;
        }
    }

    public static Dockerfile Parse(string text)
    {
        var stages = new List<Stage>();
        List<Instruction>? current = null;
        foreach (string line in JoinContinuations(text))
        {
            int space = line.IndexOf(' ', StringComparison.Ordinal);
            string keyword = (space < 0 ? line : line[..space]).ToUpperInvariant();
            string arguments = space < 0 ? "" : line[(space + 1)..].Trim();
            if (keyword == "FROM")
            {
                string[] parts = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                string? name = parts.Length == 3 && parts[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? parts[2] : null;
                current = [];
                stages.Add(new Stage(parts[0], name, current));
            }
            else
            {
                if (current is null)
                {
                    throw new FormatException($"'{line}' comes before the first FROM.");
                }

                current.Add(new Instruction(keyword, arguments));
            }
        }

        return new Dockerfile(stages);
    }

    private static IEnumerable<string> JoinContinuations(string text)
    {
        string pending = "";
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                pending += line[..^1].TrimEnd() + " ";
                continue;
            }

            yield return pending + line;
            pending = "";
        }
    }

    [GeneratedRegex(@"^for (?<variable>\w+) in (?<items>[^;]+); do (?<body>.+?);? done$")]
    private static partial Regex ShellLoop();
}
