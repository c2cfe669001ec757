using System.Text.RegularExpressions;
using KubeCache.Chart.Tests.Support;
using KubeCache.Testing;
using YamlDotNet.RepresentationModel;

namespace KubeCache.Chart.Tests;

public sealed partial class WorkflowTests
{
    public static TheoryData<string> Workflows => ["ci.yml", "e2e.yml"];

    [Theory]
    [MemberData(nameof(Workflows))]
    public void Workflow_EveryAction_IsPinnedToACommitWithItsTagInAComment(string workflow)
    {
        var uses = Steps(Load(workflow)).Select(s => s.Str("uses")).OfType<string>().ToList();
        string text = File.ReadAllText(Path(workflow));

        Assert.NotEmpty(uses);
        Assert.All(uses, action =>
        {
            Assert.Matches(PinnedAction(), action);
            Assert.Matches(new Regex(Regex.Escape(action) + @" # v\d+(\.\d+)*\s*$", RegexOptions.Multiline), text);
        });
    }

    [Theory]
    [MemberData(nameof(Workflows))]
    public void Workflow_Permissions_AreReadOnlyAndJobsHaveTimeouts(string workflow)
    {
        YamlNode root = Load(workflow);
        var jobs = (YamlMappingNode)root.At("jobs")!;

        Assert.Equal(new Dictionary<string, string> { ["contents"] = "read" }, root.Map("permissions"));
        Assert.False(string.IsNullOrEmpty(root.Str("concurrency", "group")));
        Assert.All(jobs.Children.Values, job =>
        {
            Assert.True(job.Long("timeout-minutes") is > 0 and <= 90, $"job without a timeout: {job}");
            Assert.DoesNotContain("write", job.Map("permissions").Values);
        });
    }

    [Fact]
    public void CiWorkflow_Runs_FormatCheckBuildTestsAndHelmLint()
    {
        string run = string.Join('\n', Steps(Load("ci.yml")).Select(s => s.Str("run")).OfType<string>());

        Assert.Contains("dotnet format KubeCache.sln --verify-no-changes", run, StringComparison.Ordinal);
        Assert.Contains("dotnet build KubeCache.sln -c Release", run, StringComparison.Ordinal);
        Assert.Contains("bash .ci/run", run, StringComparison.Ordinal);
        Assert.Contains("helm lint charts/kvcache", run, StringComparison.Ordinal);
        Assert.Contains("helm lint --strict charts/kvcache", run, StringComparison.Ordinal);
    }

    [Fact]
    public void CiWorkflow_TestJob_RequiresK3sSoTheConformanceSuiteCannotSkip()
    {
        YamlNode? job = Load("ci.yml").At("jobs", "build-and-test");

        Assert.Equal("1", job.Str("env", "KUBECACHE_REQUIRE_K3S"));
    }

    [Fact]
    public void E2eWorkflow_BuildsEveryImageInstallsTheChartScalesAndReadsBack()
    {
        var steps = Steps(Load("e2e.yml")).ToList();
        string run = string.Join('\n', steps.Select(s => s.Str("run")).OfType<string>());
        var builds = DockerBuild().Matches(run).Select(m => (Target: m.Groups["target"].Value, Image: m.Groups["image"].Value)).ToList();

        Assert.Contains(steps, s => s.Str("uses")?.StartsWith("helm/kind-action@", StringComparison.Ordinal) == true);
        Assert.Equal(
            [("node", "ghcr.io/kubecache/kvcache-node"), ("router", "ghcr.io/kubecache/kvcache-router"), ("operator", "ghcr.io/kubecache/kvcache-operator")],
            builds);
        Assert.Equal(builds.Select(b => b.Target).Order(StringComparer.Ordinal), Dockerfile.Load().Images.Select(s => s.Name).Order(StringComparer.Ordinal));
        Assert.Contains("kind load docker-image", run, StringComparison.Ordinal);
        Assert.Contains("helm install kvcache charts/kvcache", run, StringComparison.Ordinal);
        Assert.Contains("pod-security.kubernetes.io/enforce=restricted", run, StringComparison.Ordinal);
        Assert.Contains("--set cluster.enabled=false", run, StringComparison.Ordinal);
        Assert.Contains("kubectl -n kvcache apply -f examples/kvcluster.yaml", run, StringComparison.Ordinal);
        Assert.Contains("for replicas in 5 2", run, StringComparison.Ordinal);
        Assert.Contains("kubectl -n kvcache scale kvc/demo --replicas=$replicas", run, StringComparison.Ordinal);
        Assert.Contains("/batch_get", run, StringComparison.Ordinal);
        Assert.Contains(steps, s => s.Str("if") == "failure()" && s.Str("run")!.Contains("kubectl -n kvcache logs", StringComparison.Ordinal));
    }

    [Fact]
    public void Example_KvCluster_IsTheDemoClusterTheE2eJobScales()
    {
        YamlNode cluster = YamlNodes.LoadFile(RepoPaths.Of("examples", "kvcluster.yaml"));

        Assert.Equal("kubecache.io/v1alpha1", cluster.Str("apiVersion"));
        Assert.Equal("KvCluster", cluster.Str("kind"));
        Assert.Equal("demo", cluster.Str("metadata", "name"));
        Assert.Equal(3, cluster.Long("spec", "replicas"));
        Assert.Equal(2, cluster.Long("spec", "router", "replicas"));
    }

    private static string Path(string workflow) => RepoPaths.Of(".github", "workflows", workflow);

    private static YamlNode Load(string workflow) => YamlNodes.LoadFile(Path(workflow));

    private static IEnumerable<YamlNode> Steps(YamlNode workflow) =>
        ((YamlMappingNode)workflow.At("jobs")!).Children.Values.SelectMany(job => job.Items("steps"));

    [GeneratedRegex(@"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")]
    private static partial Regex PinnedAction();

    [GeneratedRegex(@"docker build --target (?<target>\S+) -t (?<image>[^:\s]+):\$TAG \.")]
    private static partial Regex DockerBuild();
}
