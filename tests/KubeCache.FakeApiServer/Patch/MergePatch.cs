using System.Text.Json.Nodes;

namespace KubeCache.FakeApiServer.Patch;

/// <summary>JSON merge patch (RFC 7386): objects merge, null removes, everything else replaces.</summary>
internal static class MergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject p)
        {
            return patch?.DeepClone();
        }
        var result = target is JsonObject t ? (JsonObject)t.DeepClone() : [];
        foreach (var (name, value) in p)
        {
            if (value is null)
            {
                result.Remove(name);
            }
            else
            {
                result[name] = Apply(result[name], value);
            }
        }
        return result;
    }
}
