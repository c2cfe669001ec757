using System.Net;
using System.Text.Json;
using KubeCache.Topology;
using KubeCache.Topology.Json;

namespace KubeCache.Local;

/// <summary>
/// The coordinator's I/O in local mode: the ring lives in memory and in the file the nodes
/// follow, and this process is the one router, which applies each document as it publishes it.
/// </summary>
public sealed partial class LocalCluster : IRebalanceEnvironment
{
    private RingDocument? _published;

    /// <summary>The document last published; this process is the only writer of the ring.</summary>
    public Task<RingDocument?> ReadRingAsync(CancellationToken cancellationToken) => Task.FromResult(Volatile.Read(ref _published));

    /// <summary>Replaces the ring file atomically (the nodes never read half a document), then routes by it.</summary>
    public async Task PublishRingAsync(RingDocument document, CancellationToken cancellationToken)
    {
        string temporary = Settings.RingFile + ".tmp";
        await File.WriteAllBytesAsync(temporary, document.ToUtf8Json(), cancellationToken).ConfigureAwait(false);
        File.Move(temporary, Settings.RingFile, overwrite: true);
        Volatile.Write(ref _published, document);
        _table.Apply(document);
    }

    /// <summary>GET /cluster/handoff on the member; null when it does not answer or answers something else.</summary>
    public async Task<HandoffStatus?> GetHandoffStatusAsync(RingMember member, CancellationToken cancellationToken)
    {
        using JsonDocument? json = await GetJsonAsync(member, "/cluster/handoff", cancellationToken).ConfigureAwait(false);
        return json is null ? null : HandoffStatusJson.TryParse(json.RootElement);
    }

    /// <summary>This router, the only one in local mode: the epoch its route table holds.</summary>
    public Task<IReadOnlyList<RouterEpoch>> GetRouterEpochsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<RouterEpoch>>([new RouterEpoch("local", _table.Routes?.Epoch)]);

    /// <summary>The node's item count from its /stats, or null when it does not answer.</summary>
    public async Task<long?> GetItemCountAsync(LocalNode node, CancellationToken cancellationToken)
    {
        using JsonDocument? json = await GetJsonAsync(node.Member, "/stats", cancellationToken).ConfigureAwait(false);
        return json?.RootElement is { ValueKind: JsonValueKind.Object } root && root.TryGetProperty("items", out JsonElement items)
            ? items.GetInt64()
            : null;
    }

    private async Task<JsonDocument?> GetJsonAsync(RingMember member, string path, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://{member.Http}{path}"));
            if (_keys.PeerKey is { } key)
            {
                // The nodes take the router's keys file, so the router's first key opens their admin paths.
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
            }

            using HttpResponseMessage response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return null;
            }

            await using Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
