using System.Text.Json.Nodes;
using KubeCache.FakeApiServer.Errors;

namespace KubeCache.EndToEnd.Tests.Cluster;

/// <summary>Writes a workload's status through /status only when it changed (so no write storms).</summary>
internal static class WorkloadStatus
{
    public static void Store(FakeApiServer.FakeApiServer server, JsonObject workload, JsonObject status)
    {
        if (workload["status"] is JsonObject current && Same(current, status))
        {
            return;
        }
        var next = (JsonObject)workload.DeepClone();
        next["status"] = status;
        try
        {
            server.Update(next, "status");
        }
        catch (ApiException)
        {
            // Deleted meanwhile; nothing to report.
        }
    }

    // Conditions carry timestamps: compare without them.
    private static bool Same(JsonObject a, JsonObject b)
    {
        var x = (JsonObject)a.DeepClone();
        var y = (JsonObject)b.DeepClone();
        foreach (JsonObject o in new[] { x, y })
        {
            foreach (JsonObject c in (o["conditions"] as JsonArray ?? []).OfType<JsonObject>())
            {
                c.Remove("lastTransitionTime");
                c.Remove("lastUpdateTime");
            }
        }
        return JsonNode.DeepEquals(x, y);
    }
}
