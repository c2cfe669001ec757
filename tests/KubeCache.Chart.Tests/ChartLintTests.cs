using KubeCache.Chart.Tests.Support;
using KubeCache.Testing;
using YamlDotNet.RepresentationModel;

namespace KubeCache.Chart.Tests;

public sealed class ChartLintTests
{
    [Fact]
    public void Lint_DefaultValues_Passes()
    {
        HelmResult result = Helm.Run(["lint", RepoPaths.Of("charts", "kvcache")]);

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Contains("0 chart(s) failed", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Lint_Strict_Passes()
    {
        HelmResult result = Helm.Run(["lint", "--strict", RepoPaths.Of("charts", "kvcache")]);

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.DoesNotContain("[WARNING]", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void ChartYaml_Versions_AreApiV2AndAppVersion010()
    {
        YamlNode chart = YamlNodes.LoadFile(Path.Combine(RepoPaths.Of("charts", "kvcache"), "Chart.yaml"));

        Assert.Equal("v2", chart.Str("apiVersion"));
        Assert.Equal("kvcache", chart.Str("name"));
        Assert.Equal("0.1.0", chart.Str("version"));
        Assert.Equal("0.1.0", chart.Str("appVersion"));
    }

    [Fact]
    public void Template_IncludeCrds_RendersEveryCrdFileAndTemplatesRenderNone()
    {
        // The CRD is generated from the operator's C# types into crds/; the templates never define one.
        string crds = Path.Combine(RepoPaths.Of("charts", "kvcache"), "crds");
        string[] files = Directory.Exists(crds) ? Directory.GetFiles(crds, "*.yaml") : [];

        Manifests withCrds = Helm.Run(["template", Helm.Release, RepoPaths.Of("charts", "kvcache"), "--include-crds"]).Manifests();

        Assert.Empty(DefaultRender.Manifests.OfKind("CustomResourceDefinition"));
        Assert.Equal(files.Length, withCrds.OfKind("CustomResourceDefinition").Count());
        Assert.All(withCrds.OfKind("CustomResourceDefinition"), crd => Assert.EndsWith(".kubecache.io", crd.Name, StringComparison.Ordinal));
    }
}
