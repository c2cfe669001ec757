using System.Text.Json.Nodes;

namespace KubeCache.FakeApiServer.Patch;

/// <summary>
/// Strategic merge patch for built-in kinds, reduced to what clients send in practice: a
/// merge patch in which lists of known kinds (containers, env, volumes, conditions…) merge
/// by their key instead of being replaced, <c>$patch: delete</c> removes a keyed item, and the
/// other <c>$</c> directives are ignored. Unknown lists are replaced, as in a merge patch.
/// </summary>
internal static class StrategicMergePatch
{
    private static readonly Dictionary<string, string> MergeKeys = new(StringComparer.Ordinal)
    {
        ["containers"] = "name",
        ["initContainers"] = "name",
        ["ephemeralContainers"] = "name",
        ["env"] = "name",
        ["volumes"] = "name",
        ["volumeMounts"] = "mountPath",
        ["imagePullSecrets"] = "name",
        ["conditions"] = "type",
        ["ownerReferences"] = "uid",
    };

    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject p)
        {
            return patch?.DeepClone();
        }
        var result = target is JsonObject t ? (JsonObject)t.DeepClone() : [];
        foreach (var (name, value) in p)
        {
            if (name.StartsWith('$'))
            {
                continue;
            }
            if (value is null)
            {
                result.Remove(name);
            }
            else if (value is JsonArray items && MergeKeys.TryGetValue(name, out var key) && result[name] is JsonArray current)
            {
                result[name] = MergeList(current, items, key);
            }
            else
            {
                result[name] = Apply(result[name], value);
            }
        }
        return result;
    }

    private static JsonArray MergeList(JsonArray current, JsonArray patch, string key)
    {
        var merged = (JsonArray)current.DeepClone();
        foreach (var item in patch.OfType<JsonObject>())
        {
            var id = item[key]?.ToJsonString();
            var index = merged.ToList().FindIndex(m => m is JsonObject mo && mo[key]?.ToJsonString() == id);
            if (item["$patch"]?.GetValue<string>() == "delete")
            {
                if (index >= 0)
                {
                    merged.RemoveAt(index);
                }
                continue;
            }
            if (index >= 0)
            {
                merged[index] = Apply(merged[index], item);
            }
            else
            {
                merged.Add(Apply(null, item));
            }
        }
        return merged;
    }
}
