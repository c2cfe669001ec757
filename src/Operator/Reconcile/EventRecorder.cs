using System.Globalization;
using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeCache.Operator.Controller;
using KubeCache.Operator.Resources;

namespace KubeCache.Operator.Reconcile;

/// <summary>
/// Records events.k8s.io/v1 Events about a KvCluster (reportingController kubecache.io/operator,
/// reportingInstance = the operator's identity). A failure to record is logged, never fatal:
/// events are for people, status is the contract.
/// </summary>
public sealed class EventRecorder(IKubernetes client, string identity, ILogger logger, TimeProvider? time = null)
{
    public const string Normal = "Normal";
    public const string Warning = "Warning";

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public async Task RecordAsync(KvCluster cluster, string type, string reason, string action, string note, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        string name = cluster.Metadata.Name ?? "";
        string key = $"{cluster.Metadata.NamespaceProperty}/{name}";
        DateTimeOffset now = _time.GetUtcNow();
        var evt = new Eventsv1Event
        {
            ApiVersion = "events.k8s.io/v1",
            Kind = "Event",
            Metadata = new V1ObjectMeta
            {
                // Unique per event like client-go's "<object>.<hex time>"; the random suffix separates events of one tick.
                Name = $"{name}.{now.UtcTicks.ToString("x", CultureInfo.InvariantCulture)}{Random.Shared.Next(0x1000):x3}",
                NamespaceProperty = cluster.Metadata.NamespaceProperty,
            },
            EventTime = now.UtcDateTime,
            ReportingController = OperatorResources.ReportingController,
            ReportingInstance = identity.Length > 128 ? identity[..128] : identity,
            Action = action,
            Reason = reason,
            Type = type,
            Note = note.Length > 1024 ? note[..1024] : note,
            Regarding = new V1ObjectReference
            {
                ApiVersion = KvCluster.GroupVersion,
                Kind = KvCluster.KindName,
                NamespaceProperty = cluster.Metadata.NamespaceProperty,
                Name = name,
                Uid = cluster.Metadata.Uid,
            },
        };
        Log.EventRecorded(logger, key, reason, note);
        try
        {
            await client.EventsV1.CreateNamespacedEventAsync(evt, evt.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException or System.Text.Json.JsonException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            Log.EventFailed(logger, key, reason, e.Message);
        }
    }
}
