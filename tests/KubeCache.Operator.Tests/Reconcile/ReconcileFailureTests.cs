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

    private static string? Field(JsonObject cluster, string type, string field) =>
        cluster["status"]?["conditions"]?.AsArray().FirstOrDefault(c => c?["type"]?.GetValue<string>() == type)?[field]?.GetValue<string>();
}
