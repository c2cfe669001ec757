using System.Text.RegularExpressions;
using KubeCache.Chart.Tests.Support;
using KubeCache.Testing;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;

namespace KubeCache.Chart.Tests;

/// <summary>
/// The alert rules (charts/kvcache/files/kvcache-alerts.yaml): what the chart renders, that
/// promtool accepts them, and, through promtool's own rule unit tests (Alerts/kvcache-alerts.test.yaml),
/// when each alert fires and when it does not.
/// </summary>
public sealed partial class AlertTests
{
    private static readonly string RulesPath = Path.Combine(RepoPaths.Of("charts", "kvcache"), "files", "kvcache-alerts.yaml");
    private static readonly string UnitTestsPath = RepoPaths.Of("tests", "KubeCache.Chart.Tests", "Alerts", "kvcache-alerts.test.yaml");

    [Fact]
    public void Template_PrometheusRuleEnabled_RendersTheRulesFileWithTheLabelsGiven()
    {
        Manifest rule = Helm.Template("prometheusRule.enabled=true", "prometheusRule.labels.release=monitoring").Manifests()
            .Get("PrometheusRule", "kvcache-alerts");

        Assert.Equal("monitoring.coreos.com/v1", rule.Root.Str("apiVersion"));
        Assert.Equal(Helm.Namespace, rule.Namespace);
        Assert.Equal("monitoring", rule.Labels["release"]);
        Assert.Equal(Canonical(File.ReadAllText(RulesPath)), Canonical(Text(rule.Root.At("spec")!)));
    }

    [Fact]
    public void Template_Default_RendersNoPrometheusRule()
    {
        Assert.Empty(Helm.Template().Manifests().OfKind("PrometheusRule"));
    }

    [Fact]
    public async Task RulesFile_PassesPromtoolCheckRules()
    {
        var (exitCode, output) = await Promtool.CheckRulesAsync(RulesPath);

        Assert.True(exitCode == 0, $"promtool check rules exited {exitCode}:\n{output}");
    }

    [Fact]
    public async Task Alerts_FireExactlyWhenTheirConditionHolds_PromtoolUnitTests()
    {
        // The unit tests name the labels of each alert that fires; a copy of the rules without
        // annotations keeps them from also having to repeat every description word for word.
        string directory = Directory.CreateTempSubdirectory("kvcache-alerts-").FullName;
        try
        {
            string rules = Path.Combine(directory, "rules.yaml");
            string tests = Path.Combine(directory, "tests.yaml");
            YamlMappingNode document = Load(RulesPath);
            foreach (YamlMappingNode rule in Rules(document))
            {
                rule.Children.Remove(new YamlScalarNode("annotations"));
            }

            await File.WriteAllTextAsync(rules, Text(document));
            string unitTests = await File.ReadAllTextAsync(UnitTestsPath);
            Assert.Contains("  - RULES\n", unitTests, StringComparison.Ordinal);
            await File.WriteAllTextAsync(tests, unitTests.Replace("  - RULES\n", $"  - {rules}\n", StringComparison.Ordinal));

            var (exitCode, output) = await Promtool.TestRulesAsync(tests);

            Assert.True(exitCode == 0, $"promtool test rules exited {exitCode}:\n{output}");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void UnitTests_CoverEveryAlert()
    {
        string[] alerts = [.. Rules(Load(RulesPath)).Select(r => r.Str("alert")!).Order()];
        string[] tested = [.. Load(UnitTestsPath).Items("tests")
            .SelectMany(t => t.Items("alert_rule_test")).Select(a => a.Str("alertname")!).Distinct().Order()];

        Assert.Equal(alerts, tested);
    }

    [Fact]
    public void Alerts_ExpressionsUseOnlyExportedMetrics()
    {
        Assert.Empty(Rules(Load(RulesPath)).SelectMany(rule => ExportedMetrics.Problems(rule.Str("alert")!, rule.Str("expr")!)));
    }

    [Fact]
    public void Alerts_AnnotationsNameOnlyLabelsTheExpressionKeeps()
    {
        // An aggregation keeps only its "by" labels; an annotation naming another one would read "<no value>".
        var problems = new List<string>();
        foreach (YamlMappingNode rule in Rules(Load(RulesPath)))
        {
            string alert = rule.Str("alert")!;
            List<string[]> groupings = [.. ByClause().Matches(rule.Str("expr")!).Select(m => m.Groups["labels"].Value.Split(',', StringSplitOptions.TrimEntries))];
            Assert.True(rule.Str("annotations", "summary") is { Length: > 0 } && rule.Str("annotations", "description") is { Length: > 0 }, $"{alert}: a summary and a description");
            foreach (string annotation in new[] { "summary", "description" }.Select(a => rule.Str("annotations", a)!))
            {
                problems.AddRange(LabelReference().Matches(annotation).Select(m => m.Groups["label"].Value)
                    .Where(label => groupings.Any(kept => !kept.Contains(label)))
                    .Select(label => $"{alert}: $labels.{label} is not kept by the expression"));
            }

            Assert.Contains(rule.Str("labels", "severity"), new[] { "warning", "critical" });
        }

        Assert.Empty(problems);
    }

    private static IEnumerable<YamlMappingNode> Rules(YamlMappingNode document) =>
        document.Items("groups").SelectMany(g => g.Items("rules")).Cast<YamlMappingNode>();

    private static YamlMappingNode Load(string path) => (YamlMappingNode)YamlNodes.LoadFile(path);

    private static string Text(YamlNode node)
    {
        using var writer = new StringWriter();
        new YamlStream(new YamlDocument(node)).Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    /// <summary>The YAML's data as JSON, so that two texts of the same data compare equal.</summary>
    private static string Canonical(string yaml) =>
        new SerializerBuilder().JsonCompatible().Build().Serialize(new DeserializerBuilder().Build().Deserialize<object>(yaml)!);

    [GeneratedRegex(@"\bby \((?<labels>[^)]*)\)")]
    private static partial Regex ByClause();

    [GeneratedRegex(@"\$labels\.(?<label>[a-z_]+)")]
    private static partial Regex LabelReference();
}
