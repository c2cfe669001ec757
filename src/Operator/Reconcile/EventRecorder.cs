using System.Globalization;
using KubeCache.Kubernetes;
using KubeCache.Kubernetes.Models;
using KubeCache.Operator.Controller;
using KubeCache.Operator.Resources;

namespace KubeCache.Operator.Reconcile;

/// <summary>
/// Records events.k8s.io/v1 Events about a KvCluster (reportingController kubecache.io/operator,
/// reportingInstance = the operator's identity). A failure to record is logged, never fatal:
/// events are for people, status is the contract.
/// </summary>
public sealed class EventRecorder(KubernetesClient client, string identity, ILogger logger, TimeProvider? time = null)
{
    public const string Normal = "Normal";
    public const string Warning = "Warning";

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public async Task RecordAsync(KvCluster cluster, string type, string reason, string action, string note, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        string name = cluster.Metadata.Name ?? "";
        string key = $"{cluster.Metadata.Namespace}/{name}";
        DateTimeOffset now = _time.GetUtcNow();
        var evt = new Event
        {
            Metadata = new ObjectMeta
            {
                // Unique per event like client-go's "<object>.<hex time>"; the random suffix separates events of one tick.
                Name = $"{name}.{now.UtcTicks.ToString("x", CultureInfo.InvariantCulture)}{Random.Shared.Next(0x1000):x3}",
                Namespace = cluster.Metadata.Namespace,
            },
            EventTime = now,
            ReportingController = OperatorResources.ReportingController,
            ReportingInstance = identity.Length > 128 ? identity[..128] : identity,
            Action = action,
            Reason = reason,
            Type = type,
            Note = note.Length > 1024 ? note[..1024] : note,
            Regarding = new ObjectReference
            {
                ApiVersion = KvCluster.GroupVersion,
                Kind = KvCluster.KindName,
                Namespace = cluster.Metadata.Namespace,
                Name = name,
                Uid = cluster.Metadata.Uid,
            },
        };
        Log.EventRecorded(logger, key, reason, note);
        try
        {
            await client.CreateAsync(ApiResource.Events, evt, KubernetesJsonContext.Default.Event, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is KubernetesApiException or HttpRequestException or InvalidDataException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            Log.EventFailed(logger, key, reason, e.Message);
        }
    }
}
