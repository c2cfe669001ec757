using System.Text.Json.Nodes;
using KubeCache.Operator.Tests.Support;

namespace KubeCache.Operator.Tests.Reconcile;

/// <summary>What a cluster's status says when the API refuses part of a reconcile.</summary>
[Collection(OperatorCollection.Name)]
public class ReconcileFailureTests
{
    [Fact]
    public async Task Reconcile_StatefulSetRefused_ReadyFalseReconcileFailedWithTheApiMessageThenClearedOnSuccess()
    {
        await using OperatorHarness harness = await OperatorHarness.StartAsync(subnet: 12);
        harness.Server.InjectFailure("PATCH", "/statefulsets/demo", 422, "Invalid", "StatefulSet.apps \"demo\" is invalid: injected refusal", times: 10);
        await harness.StartOperatorAsync();
        harness.CreateCluster(1);

        JsonObject failed = await harness.WaitForClusterAsync(c => Field(c, "Ready", "reason") == "ReconcileFailed");

        Assert.Equal("False", OperatorHarness.Condition(failed, "Ready"));
        Assert.Contains("injected refusal", Field(failed, "Ready", "message"), StringComparison.Ordinal);
        await harness.Server.WaitUntilAsync(() => harness.Events.Any(e => e["reason"]?.GetValue<string>() == "ReconcileFailed") ? "" : null,
            OperatorHarness.Timeout, "a ReconcileFailed event");
        JsonObject recovered = await harness.WaitForClusterAsync(c => OperatorHarness.Condition(c, "Ready") == "True");
        Assert.Equal("RingPublished", Field(recovered, "Ready", "reason"));
    }

    /// <summary>Regression: a maxMemory the memory limit cannot hold reached the StatefulSet, and every node crashed at start-up.</summary>
    [Fact]
    public async Task Reconcile_MaxMemoryAboveTheMemoryLimit_InvalidSpecWithEventAndNoStatefulSetUntilFixed()
    {
        await using OperatorHarness harness = await OperatorHarness.StartAsync(subnet: 15);
        await harness.StartOperatorAsync();
        harness.CreateCluster(1, Memory("4gb"));

        JsonObject refused = await harness.WaitForClusterAsync(c => Field(c, "Ready", "reason") == "InvalidSpec");

        Assert.StartsWith("spec.maxMemory does not fit spec.resources.limits.memory (4Gi)", Field(refused, "Ready", "message"), StringComparison.Ordinal);
        await harness.Server.WaitUntilAsync(() => harness.Events.Any(e => e["reason"]?.GetValue<string>() == "InvalidSpec") ? "" : null,
            OperatorHarness.Timeout, "an InvalidSpec event");
        Assert.Null(harness.Server.Get("apps", "statefulsets", "ns", "demo"));

        JsonObject cluster = harness.Cluster!;
        cluster["spec"]!["maxMemory"] = "3gb";
        cluster["metadata"]!.AsObject().Remove("resourceVersion");
        harness.Server.Update(cluster);
        await harness.WaitForClusterAsync(c => OperatorHarness.Condition(c, "Ready") == "True");
        JsonNode args = harness.Server.Get("apps", "statefulsets", "ns", "demo")!["spec"]!["template"]!["spec"]!["containers"]![0]!["args"]!;
        Assert.Equal("3gb", args[args.AsArray().Select(a => (string?)a).ToList().IndexOf("--max-memory") + 1]!.GetValue<string>());
    }

    /// <summary>Regression: a name no Service can carry stuck the reconcile on the API's 422 (the CRD's CEL rule refuses it where CEL runs).</summary>
    [Fact]
    public async Task Reconcile_NameThatCannotNameAService_InvalidSpecAndNoObjects()
    {
        await using OperatorHarness harness = await OperatorHarness.StartAsync(subnet: 16);
        await harness.StartOperatorAsync();
        harness.CreateCluster(1, name: "cache.v2");

        JsonObject refused = await harness.WaitForClusterAsync(c => Field(c, "Ready", "reason") == "InvalidSpec", name: "cache.v2");

        Assert.StartsWith("metadata.name must have at most 52 characters", Field(refused, "Ready", "message"), StringComparison.Ordinal);
        Assert.Empty(harness.Server.List("", "services", "ns"));
    }

    private static JsonObject Memory(string maxMemory) => new()
    {
        ["maxMemory"] = maxMemory,
        ["resources"] = new JsonObject { ["limits"] = new JsonObject { ["memory"] = "4Gi" } },
    };

    /// <summary>The chart grants ServiceMonitors only when asked (403); without the Prometheus Operator the kind is not served (404).</summary>
    [Theory]
    [InlineData(403, "Forbidden", 13, "grant")]
    [InlineData(404, "NotFound", 14, "Prometheus Operator")]
    public async Task Reconcile_ServiceMonitorRefused_ClusterStillReadyAndMonitoringReadyFalseWithEvent(int code, string reason, int subnet, string advice)
    {
        await using OperatorHarness harness = await OperatorHarness.StartAsync(subnet);
        harness.Server.InjectFailure("PATCH", "/servicemonitors/", code, reason, $"servicemonitors: injected {reason}", times: 1000);
        await harness.StartOperatorAsync();
        harness.CreateCluster(1, new JsonObject { ["monitoring"] = new JsonObject { ["serviceMonitor"] = new JsonObject { ["enabled"] = true } } });

        JsonObject cluster = await harness.WaitForClusterAsync(c => OperatorHarness.Phase(c) == "Ready" && OperatorHarness.Condition(c, "MonitoringReady") is not null);

        Assert.NotNull(harness.Server.Get("apps", "statefulsets", "ns", "demo"));
        Assert.Equal("False", OperatorHarness.Condition(cluster, "MonitoringReady"));
        Assert.Contains(advice, Field(cluster, "MonitoringReady", "message"), StringComparison.Ordinal);
        Assert.Contains(harness.Events, e => e["reason"]?.GetValue<string>() == "ServiceMonitorFailed");
    }

    /// <summary>The PodMonitor is as optional as the ServiceMonitor: refused or not served, the rest still reconciles.</summary>
    [Theory]
    [InlineData(403, "Forbidden", 20, "grant")]
    [InlineData(404, "NotFound", 21, "Prometheus Operator")]
    public async Task Reconcile_PodMonitorRefused_ClusterStillReadyAndPodMonitorReadyFalseWithEvent(int code, string reason, int subnet, string advice)
    {
        await using OperatorHarness harness = await OperatorHarness.StartAsync(subnet);
        harness.Server.InjectFailure("PATCH", "/podmonitors/", code, reason, $"podmonitors: injected {reason}", times: 1000);
        await harness.StartOperatorAsync();
        harness.CreateCluster(1, new JsonObject { ["monitoring"] = new JsonObject { ["podMonitor"] = new JsonObject { ["enabled"] = true } } });

        JsonObject cluster = await harness.WaitForClusterAsync(c => OperatorHarness.Phase(c) == "Ready" && OperatorHarness.Condition(c, "PodMonitorReady") is not null);

        Assert.NotNull(harness.Server.Get("apps", "statefulsets", "ns", "demo"));
        Assert.Equal("False", OperatorHarness.Condition(cluster, "PodMonitorReady"));
        Assert.Null(OperatorHarness.Condition(cluster, "MonitoringReady"));
        Assert.Contains(advice, Field(cluster, "PodMonitorReady", "message"), StringComparison.Ordinal);
        Assert.Contains("spec.monitoring.podMonitor", Field(cluster, "PodMonitorReady", "message"), StringComparison.Ordinal);
        Assert.Contains(harness.Events, e => e["reason"]?.GetValue<string>() == "PodMonitorFailed");
    }

    private static string? Field(JsonObject cluster, string type, string field) =>
        cluster["status"]?["conditions"]?.AsArray().FirstOrDefault(c => c?["type"]?.GetValue<string>() == type)?[field]?.GetValue<string>();
}
