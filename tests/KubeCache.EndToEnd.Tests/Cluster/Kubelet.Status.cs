using System.Text.Json.Nodes;
using KubeCache.EndToEnd.Tests.Support;
using KubeCache.FakeApiServer.Errors;

namespace KubeCache.EndToEnd.Tests.Cluster;

public sealed partial class Kubelet
{
    /// <summary>Writes the pod's status through /status when it differs from what is stored.</summary>
    private void WriteStatus(JsonObject pod, PodRuntime runtime)
    {
        bool ready = runtime.Ready && !runtime.Terminating;
        string readyStatus = ready ? "True" : "False";
        string since = Json.Timestamp(runtime.ReadySince);
        string started = Json.Timestamp(runtime.StartedAt);
        JsonObject? container = pod["spec"]?["containers"].Objects().FirstOrDefault();
        var status = new JsonObject
        {
            ["phase"] = "Running",
            ["hostIP"] = "127.0.0.1",
            ["podIP"] = runtime.IP.ToString(),
            ["podIPs"] = new JsonArray(new JsonObject { ["ip"] = runtime.IP.ToString() }),
            ["startTime"] = started,
            ["conditions"] = new JsonArray(
                Condition("PodScheduled", "True", started),
                Condition("Initialized", "True", started),
                Condition("ContainersReady", readyStatus, since),
                Condition("Ready", readyStatus, since)),
            ["containerStatuses"] = new JsonArray(new JsonObject
            {
                ["name"] = container.Str("name"),
                ["image"] = container.Str("image"),
                ["ready"] = ready,
                ["started"] = true,
                ["restartCount"] = runtime.RestartCount,
                ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = started } },
                ["lastState"] = LastState(runtime),
            }),
        };
        Store(pod, status);
    }

    /// <summary>A pod whose image maps to nothing: Pending, waiting with ErrImagePull.</summary>
    private void WritePendingStatus(JsonObject pod, string? image)
    {
        var status = new JsonObject
        {
            ["phase"] = "Pending",
            ["conditions"] = new JsonArray(Condition("PodScheduled", "True", Json.Timestamp(DateTimeOffset.UtcNow))),
            ["containerStatuses"] = new JsonArray(new JsonObject
            {
                ["name"] = pod["spec"]?["containers"].Objects().FirstOrDefault().Str("name"),
                ["image"] = image,
                ["ready"] = false,
                ["restartCount"] = 0,
                ["state"] = new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "ErrImagePull", ["message"] = $"the simulated kubelet runs no image {image}" } },
            }),
        };
        if (pod.Str("status", "phase") != "Pending" || pod["status"]?["containerStatuses"] is null)
        {
            Store(pod, status);
        }
    }

    private void Store(JsonObject pod, JsonObject status)
    {
        if (JsonNode.DeepEquals(pod["status"], status))
        {
            return;
        }
        var next = (JsonObject)pod.DeepClone();
        next["status"] = status;
        try
        {
            _server.Update(next, "status");
        }
        catch (ApiException)
        {
            // The pod went away meanwhile; the next pass sees that.
        }
    }

    /// <summary>
    /// A real kubelet's lastState after a restart: terminated, with reason Error for a non-zero
    /// exit (137 after SIGKILL) and Completed for 0 (the simulation has no cgroup to report OOMKilled); empty before any.
    /// </summary>
    private static JsonObject LastState(PodRuntime runtime) => runtime.LastExit is { } exit
        ? new JsonObject
        {
            ["terminated"] = new JsonObject
            {
                ["exitCode"] = exit.ExitCode,
                ["reason"] = exit.ExitCode == 0 ? "Completed" : "Error",
                ["startedAt"] = Json.Timestamp(runtime.StartedAt),
                ["finishedAt"] = Json.Timestamp(exit.FinishedAt),
            },
        }
        : [];

    private static JsonObject Condition(string type, string status, string since) => new()
    {
        ["type"] = type,
        ["status"] = status,
        ["lastProbeTime"] = null,
        ["lastTransitionTime"] = since,
    };
}
