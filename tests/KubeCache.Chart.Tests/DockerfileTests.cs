using System.Text.Json;
using System.Xml.Linq;
using KubeCache.Chart.Tests.Support;
using KubeCache.Testing;

namespace KubeCache.Chart.Tests;

/// <summary>The one Dockerfile at the repository root: a shared build stage and one target per image.</summary>
public sealed class DockerfileTests
{
    private static readonly Dockerfile Source = Dockerfile.Load();

    /// <summary>Each image: its target, the project it runs, the ports it exposes.</summary>
    public static TheoryData<string, string, string> Images => new()
    {
        { "node", "CacheNode", "6379 7171" },
        { "router", "Router", "6379 7171" },
        { "operator", "Operator", "8080" },
    };

    [Fact]
    public void Dockerfile_Targets_AreTheImagesAllBuiltOnTheSdk()
    {
        Assert.Equal("mcr.microsoft.com/dotnet/sdk:10.0", Source.Stages[0].Image);
        Assert.Equal("build", Source.Stages[0].Name);
        Assert.Equal(Images.Select(i => (string)i[0]).Order(StringComparer.Ordinal), Source.Images.Select(s => s.Name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Dockerfile_Target_RunsOnTheAspNetRuntimeWithItsProjectsPublishedOutput(string target, string project, string ports)
    {
        Dockerfile.Stage image = Source.Target(target);

        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:10.0", Source.Lineage(image).Last().Image, StringComparison.Ordinal);
        Assert.Contains($"--from=build /app/{project} ./", image.Arguments("COPY"));
        Assert.Equal(ports, string.Join(' ', image.Arguments("EXPOSE").SelectMany(e => e.Split(' ')).Order(StringComparer.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Dockerfile_Build_RestoresFromProjectFilesBeforeCopyingSourcesThenPublishesRelease(string target, string project, string ports)
    {
        _ = (target, ports);
        var build = Source.Stages[0].Instructions.ToList();
        int restore = build.FindIndex(i => i.Keyword == "RUN" && i.Commands().Any(c => c.StartsWith($"dotnet restore {ProjectFile(project)}", StringComparison.Ordinal)));
        int sources = build.FindIndex(i => i.Keyword == "COPY" && i.Arguments == "src/ src/");
        string publishCommand = $"dotnet publish {ProjectFile(project)} -c Release --no-restore -o /app/{project} ";
        int publish = build.FindIndex(i => i.Keyword == "RUN" && i.Commands().Any(c => c.StartsWith(publishCommand, StringComparison.Ordinal)));
        int lastProjectCopy = build.FindLastIndex(i => i.Keyword == "COPY" && i.Arguments.Contains(".csproj", StringComparison.Ordinal));

        Assert.True(restore >= 0, $"no RUN restores {ProjectFile(project)}");
        Assert.True(publish >= 0, $"no RUN runs {publishCommand}");
        Assert.True(lastProjectCopy < restore && restore < sources && sources < publish, "order: csproj copies, restore, sources, publish");
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Dockerfile_Build_RestoresAndPublishesReadyToRunForTheTargetArchitecture(string target, string project, string ports)
    {
        _ = (target, ports);
        Dockerfile.Stage build = Source.Stages[0];
        int declared = build.Instructions.ToList().FindIndex(i => i.Keyword == "ARG" && i.Arguments == "TARGETARCH");
        var commands = build.Instructions.Select((instruction, index) => (instruction, index))
            .Where(i => i.instruction.Keyword == "RUN")
            .SelectMany(i => i.instruction.Commands().Select(command => (command, i.index)))
            .Where(c => c.command.StartsWith($"dotnet restore {ProjectFile(project)}", StringComparison.Ordinal)
                || c.command.StartsWith($"dotnet publish {ProjectFile(project)}", StringComparison.Ordinal))
            .ToList();

        Assert.True(declared >= 0, "the build stage does not declare ARG TARGETARCH, so -a $TARGETARCH would be empty");
        Assert.Equal(2, commands.Count);
        Assert.All(commands, c =>
        {
            Assert.True(c.index > declared, $"'{c.command}' runs before ARG TARGETARCH");
            Assert.Contains(" -a $TARGETARCH ", c.command, StringComparison.Ordinal);
            Assert.Contains(" -p:PublishReadyToRun=true", c.command, StringComparison.Ordinal);
        });
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Dockerfile_Target_RunsAsANonRootUser(string target, string project, string ports)
    {
        _ = (project, ports);
        string user = Source.Lineage(Source.Target(target)).SelectMany(s => s.Arguments("USER")).First();

        Assert.True(
            user is "$APP_UID" or "app" || (int.TryParse(user, out int uid) && uid > 0),
            $"USER {user} is not a non-root user");
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Dockerfile_EntryPoint_RunsTheProjectsAssembly(string target, string project, string ports)
    {
        _ = ports;
        string entryPoint = Source.Target(target).Arguments("ENTRYPOINT").Single();

        Assert.Equal(["dotnet", $"{AssemblyName(project)}.dll"], JsonSerializer.Deserialize<string[]>(entryPoint) ?? []);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Dockerfile_CopiedProjectFiles_ExistAndCoverEveryProjectReference(string target, string project, string ports)
    {
        _ = (target, ports);
        var copied = Source.Stages[0].Arguments("COPY")
            .Select(c => c.Split(' ')[0])
            .Where(source => source.EndsWith(".csproj", StringComparison.Ordinal))
            .ToHashSet(StringComparer.Ordinal);

        Assert.Contains(ProjectFile(project), copied);
        Assert.All(copied, c => Assert.True(File.Exists(RepoPaths.Of(c)), $"{c} does not exist"));
        var missing = ReferenceClosure(ProjectFile(project)).Where(r => !copied.Contains(r)).ToList();
        Assert.True(missing.Count == 0, $"restore needs {string.Join(", ", missing)} copied first");
    }

    [Fact]
    public void DockerIgnore_KeepsBuildOutputAndTestsOutOfTheContext()
    {
        string[] lines = File.ReadAllLines(RepoPaths.Of(".dockerignore"));

        Assert.Contains("**/bin/", lines);
        Assert.Contains("**/obj/", lines);
        Assert.Contains("tests/", lines);
        Assert.Contains(".git/", lines);
        Assert.DoesNotContain(lines, l => l.Trim() is "src/" or "src" or "*.csproj" or "global.json" or "Directory.Build.props");
    }

    private static string ProjectFile(string project) => $"src/{project}/KubeCache.{project}.csproj";

    /// <summary>The assembly the project builds: its AssemblyName, else the project file's name.</summary>
    private static string AssemblyName(string project) =>
        XDocument.Load(RepoPaths.Of(ProjectFile(project))).Descendants("AssemblyName").FirstOrDefault()?.Value ?? $"KubeCache.{project}";

    /// <summary>Repository-relative paths of every project the given one references, transitively.</summary>
    private static HashSet<string> ReferenceClosure(string project)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out string? current))
        {
            string full = RepoPaths.Of(current);
            foreach (var reference in XDocument.Load(full).Descendants("ProjectReference"))
            {
                string target = Path.GetRelativePath(RepoPaths.Root, Path.GetFullPath(Path.Combine(Path.GetDirectoryName(full)!, reference.Attribute("Include")!.Value)));
                if (seen.Add(target.Replace('\\', '/')))
                {
                    pending.Push(target.Replace('\\', '/'));
                }
            }
        }

        return seen;
    }
}
