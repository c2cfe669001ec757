using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using KubeCache.FakeApiServer.Errors;

namespace KubeCache.FakeApiServer.Storage;

/// <summary>
/// Paginated lists: the first page keeps the rest of the result (a snapshot at the list's
/// revision) under a token, so later pages stay consistent whatever is written meanwhile.
/// Tokens expire after the configured lifetime and then answer 410 Expired.
/// </summary>
internal sealed class ContinueTokens(TimeProvider time, TimeSpan lifetime)
{
    private readonly ConcurrentDictionary<string, Snapshot> _snapshots = new(StringComparer.Ordinal);

    public string Save(long revision, List<JsonObject> remaining)
    {
        var id = Guid.NewGuid().ToString("N");
        _snapshots[id] = new Snapshot(revision, remaining, time.GetUtcNow());
        return Convert.ToBase64String(Encoding.UTF8.GetBytes($"{{\"v\":\"meta.k8s.io/v1\",\"rv\":{revision.ToString(CultureInfo.InvariantCulture)},\"id\":\"{id}\"}}"));
    }

    /// <summary>The revision and remaining items of a token; 410 when expired, 400 when malformed.</summary>
    public (long Revision, List<JsonObject> Items) Take(string token)
    {
        string id;
        try
        {
            id = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)))?["id"]?.GetValue<string>() ?? "";
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or InvalidOperationException)
        {
            throw ApiErrors.BadRequest("continue key is not valid: illegal base64 data or JSON");
        }
        if (!_snapshots.TryRemove(id, out var snapshot) || time.GetUtcNow() - snapshot.Created > lifetime)
        {
            throw ApiErrors.ContinueExpired();
        }
        return (snapshot.Revision, snapshot.Items);
    }

    /// <summary>Expires every outstanding token (a test hook for the 410 path).</summary>
    public void ExpireAll() => _snapshots.Clear();

    private sealed record Snapshot(long Revision, List<JsonObject> Items, DateTimeOffset Created);
}
