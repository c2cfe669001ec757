using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using KubeCache.FakeApiServer.Json;
using KubeCache.FakeApiServer.Selectors;

namespace KubeCache.FakeApiServer.Disruption;

/// <summary>
/// A policy/v1 PodDisruptionBudget's rules as the disruption controller and the eviction
/// subresource apply them: which pods it selects, how many must stay healthy, and the status
/// (<c>expectedPods</c>, <c>desiredHealthy</c>, <c>currentHealthy</c>, <c>disruptionsAllowed</c>,
/// <c>disruptedPods</c>) that follows from the pods and their controllers' scale.
/// </summary>
internal static class DisruptionBudget
{
    /// <summary>How long an eviction stays in <c>disruptedPods</c> when its pod is not deleted (the controller's DeletionTimeout).</summary>
    public static readonly TimeSpan DisruptedPodTimeout = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Whether the budget selects the pod: same namespace and its selector matches the pod's
    /// labels. In policy/v1 an empty selector selects every pod of the namespace and a missing one none.
    /// </summary>
    public static bool Selects(JsonObject budget, JsonObject pod) =>
        budget.Namespace() == pod.Namespace()
        && budget["spec"]?["selector"] is JsonObject selector
        && LabelSelector.Parse(LabelSelector.Serialize(selector)).Matches(pod.Labels());

    /// <summary>A pod counts as healthy when it is not terminating and its Ready condition is True.</summary>
    public static bool IsHealthy(JsonObject pod) =>
        pod["metadata"]?["deletionTimestamp"] is null
        && (pod["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>()
            .Any(c => c.Str("type") == "Ready" && c.Str("status") == "True");

    /// <summary>
    /// The budget's status for <paramref name="pods"/> (the pods it selects). <paramref name="scaleOf"/>
    /// gives the replicas of a pod's controller (its key and scale), or null when the pod has none;
    /// a maxUnavailable or percentage budget over a pod without a controller cannot be computed,
    /// and then, as the real controller's fail-safe, allows no disruption.
    /// </summary>
    public static JsonObject Status(JsonObject budget, IReadOnlyList<JsonObject> pods, Func<JsonObject, (string Key, long Replicas)?> scaleOf, DateTimeOffset now)
    {
        var previous = budget["status"] as JsonObject ?? [];
        var disrupted = KeptDisruptions(previous["disruptedPods"] as JsonObject, pods, now);
        var status = new JsonObject { ["observedGeneration"] = budget.Generation() };
        if (disrupted.Count > 0)
        {
            status["disruptedPods"] = disrupted;
        }
        var healthy = pods.Count(p => IsHealthy(p) && !disrupted.ContainsKey(p.Name()));
        if (Desired(budget["spec"] as JsonObject ?? [], pods, scaleOf) is not { } wanted)
        {
            status["disruptionsAllowed"] = 0;
            status["currentHealthy"] = healthy;
            status["desiredHealthy"] = previous["desiredHealthy"]?.DeepClone() ?? 0;
            status["expectedPods"] = previous["expectedPods"]?.DeepClone() ?? 0;
            status["conditions"] = Condition(budget, "False", "SyncFailed", "found no controller for a selected pod", now);
            return status;
        }
        var allowed = Math.Max(0, healthy - wanted.Desired);
        status["disruptionsAllowed"] = allowed;
        status["currentHealthy"] = healthy;
        status["desiredHealthy"] = wanted.Desired;
        status["expectedPods"] = wanted.Expected;
        status["conditions"] = allowed > 0
            ? Condition(budget, "True", "SufficientPods", "", now)
            : Condition(budget, "False", "InsufficientPods", "", now);
        return status;
    }

    /// <summary>Healthy pods needed and pods expected: minAvailable (an int counts the selected pods, a percentage the controllers' scale) or maxUnavailable (of the scale).</summary>
    private static (long Expected, long Desired)? Desired(JsonObject spec, IReadOnlyList<JsonObject> pods, Func<JsonObject, (string Key, long Replicas)?> scaleOf)
    {
        if (spec["minAvailable"] is { } min && min.GetValueKind() == JsonValueKind.Number)
        {
            return (pods.Count, min.GetValue<long>());
        }
        if (spec["minAvailable"] is null && spec["maxUnavailable"] is null)
        {
            return (pods.Count, 0);
        }
        var scales = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            if (scaleOf(pod) is not { } scale)
            {
                return null;
            }
            scales[scale.Key] = scale.Replicas;
        }
        var expected = scales.Values.Sum();
        if (spec["minAvailable"] is { } minPercent)
        {
            return (expected, Scaled(minPercent, expected));
        }
        return (expected, Math.Max(0, expected - Scaled(spec["maxUnavailable"]!, expected)));
    }

    /// <summary>An int-or-string against <paramref name="total"/>: the int itself, or the percentage rounded up.</summary>
    private static long Scaled(JsonNode value, long total)
    {
        if (value.GetValueKind() == JsonValueKind.Number)
        {
            return value.GetValue<long>();
        }
        var text = value.GetValue<string>().TrimEnd('%');
        var percent = long.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        return (long)Math.Ceiling(percent * total / 100.0);
    }

    /// <summary>The evictions still pending: pods that exist, are not yet terminating, and were evicted less than <see cref="DisruptedPodTimeout"/> ago.</summary>
    private static JsonObject KeptDisruptions(JsonObject? disrupted, IReadOnlyList<JsonObject> pods, DateTimeOffset now)
    {
        var kept = new JsonObject();
        foreach (var (name, at) in disrupted ?? [])
        {
            var pod = pods.FirstOrDefault(p => p.Name() == name);
            if (pod is not null && pod["metadata"]?["deletionTimestamp"] is null
                && DateTimeOffset.TryParse(at?.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when)
                && when + DisruptedPodTimeout > now)
            {
                kept[name] = at!.DeepClone();
            }
        }
        return kept;
    }

    /// <summary>The DisruptionAllowed condition; its lastTransitionTime moves only when its status does.</summary>
    private static JsonArray Condition(JsonObject budget, string status, string reason, string message, DateTimeOffset now)
    {
        var before = (budget["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(c => c.Str("type") == "DisruptionAllowed");
        JsonNode? since = before?.Str("status") == status ? before!["lastTransitionTime"]?.DeepClone() : JsonValue.Create(JsonExtensions.Timestamp(now));
        return new JsonArray(new JsonObject
        {
            ["type"] = "DisruptionAllowed",
            ["status"] = status,
            ["reason"] = reason,
            ["message"] = message,
            ["lastTransitionTime"] = since,
            ["observedGeneration"] = budget.Generation(),
        });
    }
}
