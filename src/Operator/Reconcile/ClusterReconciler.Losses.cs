using System.Collections.Concurrent;
using System.Globalization;
using k8s.Models;
using KubeCache.Operator.Resources;

namespace KubeCache.Operator.Reconcile;

public sealed partial class ClusterReconciler
{
    private readonly NodeLossTracker _losses = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastKeyPoll = new(StringComparer.Ordinal);

    /// <summary>
    /// Reports each node container that restarted on its own since the last look (what a pod's
    /// status shows after kill -9 or an OOM kill: restartCount up, lastState.terminated with the
    /// reason): a Warning Event <c>NodeLost</c> and the loss counters, with the keys the node held
    /// at the last poll. Then, once per --node-poll-interval, reads every Ready node's key count.
    /// </summary>
    private async Task TrackLossesAsync(KvCluster cluster, string key, Dictionary<string, V1Pod> pods, KubernetesRingEnvironment environment, CancellationToken cancellationToken)
    {
        foreach (NodeLoss loss in _losses.Observe(key, pods))
        {
            _metrics.NodeLost(key, loss.Reason, loss.Keys ?? 0);
            await _events.RecordAsync(cluster, EventRecorder.Warning, "NodeLost", "Crash", LossNote(loss), cancellationToken).ConfigureAwait(false);
        }

        DateTimeOffset now = _settings.Time.GetUtcNow();
        if (_settings.NodePollInterval <= TimeSpan.Zero || now - _lastKeyPoll.GetValueOrDefault(key) < _settings.NodePollInterval)
        {
            return;
        }

        _lastKeyPoll[key] = now;
        await Task.WhenAll(pods.Values.Where(RingPlanner.IsReady).Select(async pod =>
        {
            if (await environment.GetKeyCountAsync(pod.Metadata.Name!, RingPlanner.HttpAddressOf(pod), cancellationToken).ConfigureAwait(false) is { } keys)
            {
                _losses.RecordKeys(key, pod.Metadata.Name!, pod.Metadata.Uid ?? "", keys, now);
            }
        })).ConfigureAwait(false);
    }

    private void ForgetLosses(string key)
    {
        _losses.Forget(key);
        _lastKeyPoll.TryRemove(key, out _);
    }

    private string LossNote(NodeLoss loss)
    {
        string exit = loss.ExitCode is { } code ? string.Create(CultureInfo.InvariantCulture, $", exit code {code}") : "";
        string held = loss.Keys is { } keys
            ? string.Create(CultureInfo.InvariantCulture, $"the {keys} keys it held at the last poll, {(_settings.Time.GetUtcNow() - loss.PolledAt!.Value).TotalSeconds:0} s before, are lost")
            : "the keys it held are lost (how many is unknown: it was not polled since it started, see --node-poll-interval)";
        return $"Node {loss.Node}'s container restarted on its own ({loss.Reason}{exit}): {held}. "
            + "The other nodes keep serving their keys; it rejoins empty and new writes fill it.";
    }
}
