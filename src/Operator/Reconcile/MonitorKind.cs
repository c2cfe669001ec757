using KubeCache.Kubernetes;
using KubeCache.Operator.Builders;
using KubeCache.Operator.Controller;
using KubeCache.Operator.Resources;

namespace KubeCache.Operator.Reconcile;

/// <summary>
/// One of the optional Prometheus Operator objects a KvCluster may ask for. Each is applied
/// last and never holds back the rest: without the Prometheus Operator's CRDs (404) or the
/// chart's grant for the kind (403) it cannot be, which its own condition and a Warning event
/// report.
/// </summary>
/// <param name="Kind">"ServiceMonitor" or "PodMonitor".</param>
/// <param name="Resource">Its API resource.</param>
/// <param name="ConditionType">The condition that says whether it is applied, present only while it is asked for.</param>
/// <param name="SpecField">The spec field that asks for it, named in messages.</param>
/// <param name="ObjectName">Its name for a cluster name.</param>
public sealed record MonitorKind(string Kind, ApiResource Resource, string ConditionType, string SpecField, Func<string, string> ObjectName)
{
    public static readonly MonitorKind Service = new(
        "ServiceMonitor", OperatorResources.ServiceMonitors, KvClusterConditionType.MonitoringReady, "spec.monitoring.serviceMonitor", ObjectNames.ServiceMonitor);

    public static readonly MonitorKind Pod = new(
        "PodMonitor", OperatorResources.PodMonitors, KvClusterConditionType.PodMonitorReady, "spec.monitoring.podMonitor", ObjectNames.PodMonitor);

    /// <summary>The condition's reason, and the Warning event's, when it cannot be applied or deleted.</summary>
    public string FailedReason => Kind + "Failed";

    public string AppliedReason => Kind + "Applied";
}

/// <summary>What became of a monitor the spec asks for.</summary>
/// <param name="Kind">Which monitor.</param>
/// <param name="Failure">Why it could not be applied; null when it was.</param>
public sealed record MonitorOutcome(MonitorKind Kind, string? Failure);
