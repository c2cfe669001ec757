using System.Text.Json;
using KubeCache.Chart.Tests.Support;
using KubeCache.Testing;

namespace KubeCache.Chart.Tests;

public sealed partial class DashboardTests
{
    private static readonly string DashboardPath = Path.Combine(RepoPaths.Of("charts", "kvcache"), "files", "kvcache-dashboard.json");

    [Fact]
    public void Template_DashboardEnabled_RendersAGrafanaConfigMapWithTheDashboardFile()
    {
        Manifest configMap = Helm.Template("grafanaDashboard.enabled=true", "grafanaDashboard.annotations.grafana_folder=Cache").Manifests()
            .Get("ConfigMap", "kvcache-dashboard");
        string json = configMap.Root.Str("data", "kvcache.json")!;

        Assert.Equal("1", configMap.Labels["grafana_dashboard"]);
        Assert.Equal("Cache", configMap.Annotations["grafana_folder"]);
        using var rendered = JsonDocument.Parse(json);
        using var file = JsonDocument.Parse(File.ReadAllText(DashboardPath));
        Assert.Equal(file.RootElement.GetRawText(), rendered.RootElement.GetRawText());
    }

    [Fact]
    public void Dashboard_Panels_ShowEveryRequiredView()
    {
        string[] titles = Panels().Select(p => p.GetProperty("title").GetString()!).ToArray();

        Assert.Equal(
            ["Hit rate", "Operations per second", "Latency", "Memory", "Evictions", "Ring epoch", "Rebalance progress"],
            titles);
        Assert.Equal(titles.Length, Panels().Select(p => p.GetProperty("id").GetInt32()).Distinct().Count());
    }

    [Fact]
    public void Dashboard_EveryPanelExpression_ReferencesOnlyExportedMetrics()
    {
        var problems = new List<string>();
        foreach (JsonElement panel in Panels())
        {
            string title = panel.GetProperty("title").GetString()!;
            var expressions = panel.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("expr").GetString()!).ToList();
            if (expressions.Count == 0)
            {
                problems.Add($"{title}: no query");
            }

            problems.AddRange(expressions.SelectMany(expr => ExportedMetrics.Problems(title, expr)));
        }

        Assert.Empty(problems);
    }

    [Fact]
    public void ExportedMetrics_NodeAndRouter_AreScrapedNotAssumed()
    {
        // Guards the test above: the scrape must find the real families, not only the assumed operator names.
        Assert.Contains("kvcache_cache_hits_total", ExportedMetrics.Names);
        Assert.Contains("kvcache_request_duration_seconds_bucket", ExportedMetrics.Names);
        Assert.Contains("kvcache_router_ring_epoch", ExportedMetrics.Names);
        Assert.Contains("kvcache_operator_keys_lost_total", ExportedMetrics.Names);
        Assert.Contains("kvcache_handoff_retrying", ExportedMetrics.Names);
        Assert.Contains("kvcache_connections_rejected_total", ExportedMetrics.Names);
        Assert.DoesNotContain("kvcache_cache_hits", ExportedMetrics.Names);
    }

    private static List<JsonElement> Panels()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(DashboardPath));
        return document.RootElement.GetProperty("panels").EnumerateArray().Select(p => p.Clone()).ToList();
    }
}
