using System.Text.Json;

namespace KubeCache.Topology.Json;

/// <summary>Reads a router's <c>GET /ring/epoch</c> answer (<c>{"status":"OK","epoch":N,"rebalancing":bool}</c>) for the coordinator's environments.</summary>
public static class RouterEpochJson
{
    /// <summary>The epoch, or null when the body is not JSON or carries no integer <c>epoch</c>.</summary>
    public static long? TryParse(ReadOnlySpan<byte> utf8Json)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8Json);
            using JsonDocument document = JsonDocument.ParseValue(ref reader);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("epoch", out JsonElement epoch)
                && epoch.TryGetInt64(out long number)
                ? number
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
