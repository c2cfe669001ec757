using System.Text.Json;

namespace KubeCache.Topology.Json;

/// <summary>
/// Reads a node's <c>GET /cluster/handoff</c> answer (<c>{"epoch":N,"state":"streaming",
/// "keysSent":N,"keysLeft":N,"keysDropped":N,"lastError":"..."}</c>) for every coordinator environment, so the operator and the
/// router's local mode read it one way.
/// </summary>
public static class HandoffStatusJson
{
    /// <summary>The status, or null when the JSON lacks an epoch or a known state (an old or foreign answer).</summary>
    public static HandoffStatus? TryParse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("epoch", out JsonElement epoch)
            || !epoch.TryGetInt64(out long epochNumber)
            || !root.TryGetProperty("state", out JsonElement state)
            || state.ValueKind != JsonValueKind.String
            || state.GetString() is not { Length: > 0 } name
            || !char.IsAsciiLetter(name[0]) // names only: Enum.TryParse would take "3" as a value
            || !Enum.TryParse(name, ignoreCase: true, out HandoffState parsed))
        {
            return null;
        }

        string? lastError = root.TryGetProperty("lastError", out JsonElement error) && error.ValueKind == JsonValueKind.String ? error.GetString() : null;
        return new HandoffStatus(epochNumber, parsed, Number(root, "keysSent"), Number(root, "keysLeft"), Number(root, "keysDropped"), lastError);
    }

    /// <summary>Like <see cref="TryParse(JsonElement)"/>, from the response body; null when it is not JSON.</summary>
    public static HandoffStatus? TryParse(ReadOnlySpan<byte> utf8Json)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8Json);
            using JsonDocument document = JsonDocument.ParseValue(ref reader);
            return TryParse(document.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static long Number(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement value) && value.TryGetInt64(out long number) ? number : 0;
}
