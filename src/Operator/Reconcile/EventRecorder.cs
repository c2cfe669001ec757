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
/// <remarks>
/// An Event the same as one recorded for the same KvCluster (type, reason, action and note) within
/// <see cref="SeriesWindow"/> of its last occurrence is not created again: the first one's
/// <c>series</c> counts it, as client-go's recorder does. A reconcile that reads the KvCluster
/// from the informer's cache before the status the previous one wrote has arrived comes to the
/// same decision and would otherwise announce it twice.
/// </remarks>
public sealed class EventRecorder(IKubernetes client, string identity, ILogger logger, TimeProvider? time = null)
{
    public const string Normal = "Normal";
    public const string Warning = "Warning";

    /// <summary>How long after its last occurrence a repeat still joins an Event's series: client-go's six minutes.</summary>
    public static readonly TimeSpan SeriesWindow = TimeSpan.FromMinutes(6);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _sync = new();
    private readonly Dictionary<SeriesKey, Series> _series = [];

    public async Task RecordAsync(KvCluster cluster, string type, string reason, string action, string note, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        string name = cluster.Metadata.Name ?? "";
        string key = $"{cluster.Metadata.NamespaceProperty}/{name}";
        note = note.Length > 1024 ? note[..1024] : note;
        DateTimeOffset now = _time.GetUtcNow();

        // Unique per event like client-go's "<object>.<hex time>"; the random suffix separates events of one tick.
        string eventName = $"{name}.{now.UtcTicks.ToString("x", CultureInfo.InvariantCulture)}{Random.Shared.Next(0x1000):x3}";
        Series series = Observe(new SeriesKey(cluster.Metadata.Uid, type, reason, action, note), eventName, cluster.Metadata.NamespaceProperty, now);
        if (series.Count > 1)
        {
            Log.EventRepeated(logger, key, reason, series.Count, note);
            await CallAsync(key, reason, () => client.EventsV1.PatchNamespacedEventAsync(
                new V1Patch(new { series = new { count = series.Count, lastObservedTime = now.UtcDateTime } }, V1Patch.PatchType.MergePatch),
                series.Name, series.Namespace, cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
            return;
        }

        var evt = new Eventsv1Event
        {
            ApiVersion = "events.k8s.io/v1",
            Kind = "Event",
            Metadata = new V1ObjectMeta
            {
                Name = eventName,
                NamespaceProperty = cluster.Metadata.NamespaceProperty,
            },
            EventTime = now.UtcDateTime,
            ReportingController = OperatorResources.ReportingController,
            ReportingInstance = identity.Length > 128 ? identity[..128] : identity,
            Action = action,
            Reason = reason,
            Type = type,
            Note = note,
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
        await CallAsync(key, reason, () => client.EventsV1.CreateNamespacedEventAsync(evt, evt.Metadata.NamespaceProperty, cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The series the Event belongs to, its count raised when it is a repeat within the window,
    /// or a new series of one under <paramref name="eventName"/>; forgets series past the window.
    /// </summary>
    private Series Observe(SeriesKey identity, string eventName, string eventNamespace, DateTimeOffset now)
    {
        lock (_sync)
        {
            foreach (SeriesKey ended in _series.Where(s => now - s.Value.Last >= SeriesWindow).Select(s => s.Key).ToList())
            {
                _series.Remove(ended);
            }

            return _series[identity] = _series.TryGetValue(identity, out Series? current)
                ? current with { Count = current.Count + 1, Last = now }
                : new Series(eventName, eventNamespace, 1, now);
        }
    }

    private async Task CallAsync(string key, string reason, Func<Task> call, CancellationToken cancellationToken)
    {
        try
        {
            await call().ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException or System.Text.Json.JsonException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            Log.EventFailed(logger, key, reason, e.Message);
        }
    }

    private sealed record Series(string Name, string Namespace, int Count, DateTimeOffset Last);

    private readonly record struct SeriesKey(string? Uid, string Type, string Reason, string Action, string Note);
}
