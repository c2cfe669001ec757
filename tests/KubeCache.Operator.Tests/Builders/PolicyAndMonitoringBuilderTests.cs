using System.Text.Json.Nodes;
using KubeCache.Operator.Builders;
using KubeCache.Operator.Resources;
using static KubeCache.Operator.Tests.Support.TestClusters;

namespace KubeCache.Operator.Tests.Builders;

public class PolicyAndMonitoringBuilderTests
{
    [Fact]
    public void PodDisruptionBudget_EmptySpec_MaxUnavailableOneOverNodes()
    {
        JsonObject pdb = Json(PodDisruptionBudgetBuilder.Build(Demo())!);

        Assert.Equal("policy/v1", (string?)pdb["apiVersion"]);
        Assert.Equal("demo-nodes", (string?)At(pdb, "metadata.name"));
        Assert.Equal(1, (int?)At(pdb, "spec.maxUnavailable"));
        Assert.Equal("node", (string?)At(pdb, "spec.selector.matchLabels")!["app.kubernetes.io/component"]);
        Assert.Null(At(pdb, "spec.minAvailable"));
    }

    [Fact]
    public void PodDisruptionBudget_PercentageSet_KeepsString()
    {
        JsonObject pdb = Json(PodDisruptionBudgetBuilder.Build(Demo(s => s.PodDisruptionBudget = new DisruptionBudgetSpec { MaxUnavailable = "25%" }))!);

        Assert.Equal("25%", (string?)At(pdb, "spec.maxUnavailable"));
    }

    [Fact]
    public void PodDisruptionBudget_Disabled_ReturnsNull()
    {
        Assert.Null(PodDisruptionBudgetBuilder.Build(Demo(s => s.PodDisruptionBudget = new DisruptionBudgetSpec { Enabled = false })));
        Assert.Null(PodDisruptionBudgetBuilder.BuildRouter(Demo(s => s.PodDisruptionBudget = new DisruptionBudgetSpec { Enabled = false })));
    }

    /// <summary>Regression: routers had no budget, so draining every host at once took every router away from the clients.</summary>
    [Fact]
    public void RouterPodDisruptionBudget_EmptySpec_MaxUnavailableOneOverRouters()
    {
        JsonObject pdb = Json(PodDisruptionBudgetBuilder.BuildRouter(Demo(s => s.PodDisruptionBudget = new DisruptionBudgetSpec { MaxUnavailable = "50%" }))!);

        Assert.Equal("demo-router", (string?)At(pdb, "metadata.name"));
        Assert.Equal(1, (int?)At(pdb, "spec.maxUnavailable"));
        Assert.Equal("router", (string?)At(pdb, "spec.selector.matchLabels")!["app.kubernetes.io/component"]);
    }

    [Fact]
    public void ServiceMonitor_EmptySpec_ReturnsNull()
    {
        Assert.Null(ServiceMonitorBuilder.Build(Demo()));
    }

    [Fact]
    public void ServiceMonitor_Enabled_ScrapesHttpPortOfClustersServices()
    {
        JsonObject monitor = Json(ServiceMonitorBuilder.Build(Demo(s => s.Monitoring = new MonitoringSpec
        {
            ServiceMonitor = new MonitorOptions { Enabled = true },
        }))!);

        Assert.Equal("monitoring.coreos.com/v1", (string?)monitor["apiVersion"]);
        Assert.Equal("ServiceMonitor", (string?)monitor["kind"]);
        Assert.Equal("demo", (string?)At(monitor, "metadata.name"));
        JsonObject matchLabels = At(monitor, "spec.selector.matchLabels")!.AsObject();
        Assert.Equal("demo", (string?)matchLabels["app.kubernetes.io/instance"]);
        Assert.False(matchLabels.ContainsKey("app.kubernetes.io/component"));
        Assert.Equal("http", (string?)At(monitor, "spec.endpoints[0].port"));
        Assert.Equal("/metrics", (string?)At(monitor, "spec.endpoints[0].path"));
        Assert.Equal("30s", (string?)At(monitor, "spec.endpoints[0].interval"));
        Assert.Equal("ns", (string?)At(monitor, "spec.namespaceSelector.matchNames[0]"));
    }

    [Fact]
    public void ServiceMonitor_IntervalSet_UsesIt()
    {
        JsonObject monitor = Json(ServiceMonitorBuilder.Build(Demo(s => s.Monitoring = new MonitoringSpec
        {
            ServiceMonitor = new MonitorOptions { Enabled = true, Interval = "10s" },
        }))!);

        Assert.Equal("10s", (string?)At(monitor, "spec.endpoints[0].interval"));
    }

    [Fact]
    public void PodMonitor_NotAsked_IsNull()
    {
        Assert.Null(PodMonitorBuilder.Build(Demo(s => s.Monitoring = new MonitoringSpec { ServiceMonitor = new MonitorOptions { Enabled = true } })));
    }

    [Fact]
    public void PodMonitor_Enabled_ScrapesTheHttpContainerPortOfTheClustersPods()
    {
        JsonObject monitor = Json(PodMonitorBuilder.Build(Demo(s => s.Monitoring = new MonitoringSpec
        {
            PodMonitor = new MonitorOptions { Enabled = true, Interval = "15s" },
        }))!);

        Assert.Equal("monitoring.coreos.com/v1", (string?)monitor["apiVersion"]);
        Assert.Equal("PodMonitor", (string?)monitor["kind"]);
        Assert.Equal("demo", (string?)At(monitor, "metadata.name"));
        JsonObject matchLabels = At(monitor, "spec.selector.matchLabels")!.AsObject();
        Assert.Equal("demo", (string?)matchLabels["app.kubernetes.io/instance"]);
        Assert.Equal("kvcache", (string?)matchLabels["app.kubernetes.io/name"]);
        Assert.Equal("http", (string?)At(monitor, "spec.podMetricsEndpoints[0].port"));
        Assert.Equal("/metrics", (string?)At(monitor, "spec.podMetricsEndpoints[0].path"));
        Assert.Equal("15s", (string?)At(monitor, "spec.podMetricsEndpoints[0].interval"));
        Assert.Equal("ns", (string?)At(monitor, "spec.namespaceSelector.matchNames[0]"));
        Assert.Null(monitor["spec"]!["endpoints"]);
    }
}
