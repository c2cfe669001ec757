using System.Text.Json.Nodes;
using KubeCache.Operator.Tests.Support;

namespace KubeCache.Operator.Tests.Reconcile;

/// <summary>
/// The operator calls the ServiceMonitor and PodMonitor APIs only for a monitor the spec asks for
/// or one it applied: the chart grants each kind only when it is wanted.
/// </summary>
[Collection(OperatorCollection.Name)]
public class ServiceMonitorTests
{
    // Served as the Prometheus Operator's CRD is, without its schema: the operator's apply is what is tested.
    private const string ServiceMonitorCrd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: servicemonitors.monitoring.coreos.com
        spec:
          group: monitoring.coreos.com
          scope: Namespaced
          names: {plural: servicemonitors, singular: servicemonitor, kind: ServiceMonitor}
          versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec: {type: object, x-kubernetes-preserve-unknown-fields: true}
        """;

    [Fact]
    public async Task Reconcile_MonitoringNeverAsked_MakesNoServiceMonitorCall()
    {
        await using OperatorHarness harness = await OperatorHarness.StartAsync(subnet: 40);
        // Any ServiceMonitor call fails the reconcile it is part of; none may be made.
        harness.Server.InjectFailure(null, "/servicemonitors", 500, "InternalError", "servicemonitors: not to be called", times: 1000);
        harness.Server.InjectFailure(null, "/podmonitors", 500, "InternalError", "podmonitors: not to be called", times: 1000);
        await harness.StartOperatorAsync();
        harness.CreateCluster(1);

        JsonObject cluster = await harness.WaitForClusterAsync(c => OperatorHarness.Condition(c, "Ready") == "True");

        Assert.Null(OperatorHarness.Condition(cluster, "MonitoringReady"));
        Assert.Null(OperatorHarness.Condition(cluster, "PodMonitorReady"));
        Assert.DoesNotContain(harness.Events, e => e["reason"]?.GetValue<string>() is "ReconcileFailed" or "ServiceMonitorFailed" or "PodMonitorFailed");
    }

    [Fact]
    public async Task Reconcile_MonitoringTurnedOff_DeletesTheServiceMonitorItApplied()
    {
        await using OperatorHarness harness = await OperatorHarness.StartAsync(subnet: 41);
        harness.Server.RegisterCrd(ServiceMonitorCrd);
        await harness.StartOperatorAsync();
        harness.CreateCluster(1, new JsonObject { ["monitoring"] = new JsonObject { ["serviceMonitor"] = new JsonObject { ["enabled"] = true } } });
        await harness.WaitForClusterAsync(c => OperatorHarness.Condition(c, "MonitoringReady") == "True");
        Assert.NotNull(harness.Server.Get("monitoring.coreos.com", "servicemonitors", "ns", "demo"));

        JsonObject spec = harness.Cluster!["spec"]!.AsObject();
        spec["monitoring"]!["serviceMonitor"]!["enabled"] = false;
        UpdateSpec(harness, spec);

        await harness.WaitForClusterAsync(c => OperatorHarness.Condition(c, "MonitoringReady") is null);
        await harness.Server.WaitUntilAsync(() => harness.Server.Get("monitoring.coreos.com", "servicemonitors", "ns", "demo") is null ? "" : null,
            OperatorHarness.Timeout, "the ServiceMonitor deleted");
        Assert.DoesNotContain(harness.Events, e => e["reason"]?.GetValue<string>() is "ReconcileFailed" or "ServiceMonitorFailed");
    }

    [Fact]
    public async Task Reconcile_PodMonitorAskedThenTurnedOff_AppliesThenDeletesIt()
    {
        await using OperatorHarness harness = await OperatorHarness.StartAsync(subnet: 42);
        harness.Server.RegisterCrd(ServiceMonitorCrd.Replace("servicemonitor", "podmonitor", StringComparison.Ordinal).Replace("ServiceMonitor", "PodMonitor", StringComparison.Ordinal));
        await harness.StartOperatorAsync();
        harness.CreateCluster(1, new JsonObject { ["monitoring"] = new JsonObject { ["podMonitor"] = new JsonObject { ["enabled"] = true, ["interval"] = "20s" } } });
        await harness.WaitForClusterAsync(c => OperatorHarness.Condition(c, "PodMonitorReady") == "True" && OperatorHarness.Phase(c) == "Ready");

        JsonObject monitor = harness.Server.Get("monitoring.coreos.com", "podmonitors", "ns", "demo")!;
        Assert.Equal("20s", monitor["spec"]!["podMetricsEndpoints"]![0]!["interval"]!.GetValue<string>());

        JsonObject spec = harness.Cluster!["spec"]!.AsObject();
        spec["monitoring"]!["podMonitor"]!["enabled"] = false;
        UpdateSpec(harness, spec);

        await harness.WaitForClusterAsync(c => OperatorHarness.Condition(c, "PodMonitorReady") is null);
        await harness.Server.WaitUntilAsync(() => harness.Server.Get("monitoring.coreos.com", "podmonitors", "ns", "demo") is null ? "" : null,
            OperatorHarness.Timeout, "the PodMonitor deleted");
        Assert.DoesNotContain(harness.Events, e => e["reason"]?.GetValue<string>() is "ReconcileFailed" or "PodMonitorFailed");
    }

    private static void UpdateSpec(OperatorHarness harness, JsonObject spec)
    {
        JsonObject cluster = harness.Cluster!;
        cluster["spec"] = spec.DeepClone();
        cluster["metadata"]!.AsObject().Remove("resourceVersion");
        harness.Server.Update(cluster);
    }
}
