using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using k8s;
using k8s.Models;
using KubeCache.Kubernetes;
using KubeCache.Operator.Builders;
using KubeCache.Operator.Controller;
using KubeCache.Operator.Resources;
using KubeCache.Topology;
using KubeCache.Topology.Json;

namespace KubeCache.Operator.Reconcile;

/// <summary>
/// The rebalance coordinator's I/O for one KvCluster in Kubernetes: the ring lives in the
/// <c>&lt;cluster&gt;-ring</c> ConfigMap (read from the API server, never from a cache, so a new
/// leader continues from what was published; written by server-side apply), each node is
/// asked <c>GET /cluster/handoff</c> (and, before a rollout takes one out, <c>GET /stats</c>) and each router <c>GET /ring/epoch</c>, with the cluster's
/// API key when auth is on, over HTTPS when spec.tls is set (<see cref="PodHttpClients"/>).
/// </summary>
/// <param name="client">The API server connection.</param>
/// <param name="http">How nodes and routers are asked: plain, or HTTPS verifying each pod's certificate.</param>
/// <param name="cluster">The KvCluster whose ring this is.</param>
/// <param name="apiKey">The key nodes and routers take when auth is on; null otherwise.</param>
/// <param name="routers">The cluster's serving router pods: name → HTTP address (<c>podIP:7171</c>).</param>
public sealed class KubernetesRingEnvironment(
    IKubernetes client, PodHttp http, KvCluster cluster, string? apiKey, IReadOnlyDictionary<string, string> routers) : IRebalanceEnvironment
{
    /// <summary>How long one node or router may take to answer before it counts as unreachable.</summary>
    public static readonly TimeSpan HandoffRequestTimeout = TimeSpan.FromSeconds(2);

    /// <summary>The document published; null when the ConfigMap or its ring.json does not exist yet.</summary>
    /// <exception cref="RingFormatException">ring.json exists but is not a valid ring document.</exception>
    public async Task<RingDocument?> ReadRingAsync(CancellationToken cancellationToken)
    {
        string ns = ObjectMetadata.NamespaceOf(cluster);
        string name = ObjectNames.RingConfigMap(ObjectMetadata.NameOf(cluster));
        V1ConfigMap? map = await client.TryGetAsync<V1ConfigMap>(ApiResource.ConfigMaps, ns, name, cancellationToken).ConfigureAwait(false);
        return map?.Data is { } data && data.TryGetValue(RingDocument.ConfigMapKey, out string? json) && json.Length > 0 ? RingDocument.Parse(json) : null;
    }

    public async Task PublishRingAsync(RingDocument document, CancellationToken cancellationToken)
    {
        V1ConfigMap map = ConfigMapBuilder.BuildRing(cluster, document);
        await client.ApplyAsync(ApiResource.ConfigMaps, map, OperatorResources.FieldManager, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>GET /cluster/handoff of the member; null when the node does not answer 200 with a status.</summary>
    public async Task<HandoffStatus?> GetHandoffStatusAsync(RingMember member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        byte[]? body = await GetAsync(member.Http, member.Name, "/cluster/handoff", cancellationToken).ConfigureAwait(false);
        return body is null ? null : HandoffStatusJson.TryParse(body);
    }

    /// <summary>GET /stats of the member: the bytes it holds and its budget; null when it does not answer 200 with both.</summary>
    public Task<NodeBytes?> GetMemoryAsync(RingMember member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        return GetStatsAsync(member.Http, member.Name,
            stats => Int64(stats, "usedBytes") is { } used && Int64(stats, "capacityBytes") is { } capacity ? new NodeBytes(used, capacity) : null,
            cancellationToken);
    }

    /// <summary>The keys the node pod <paramref name="name"/> at <paramref name="address"/> holds (GET /stats, <c>items</c>); null when it does not answer with them.</summary>
    public Task<long?> GetKeyCountAsync(string name, string address, CancellationToken cancellationToken) =>
        GetStatsAsync(address, name, stats => Int64(stats, "items"), cancellationToken);

    /// <summary>What <paramref name="read"/> takes from a node's GET /stats; null when it does not answer 200 with JSON.</summary>
    private async Task<T?> GetStatsAsync<T>(string address, string name, Func<JsonElement, T?> read, CancellationToken cancellationToken)
    {
        byte[]? body = await GetAsync(address, name, "/stats", cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return default;
        }

        try
        {
            using var stats = JsonDocument.Parse(body);
            return read(stats.RootElement);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    private static long? Int64(JsonElement stats, string name) =>
        stats.ValueKind == JsonValueKind.Object && stats.TryGetProperty(name, out JsonElement value) && value.TryGetInt64(out long number) ? number : null;

    /// <summary>
    /// GET /ring/epoch on every router at once; a router that does not answer 200 with an epoch
    /// reports null. Over TLS a router proves the name clients reach it by, its Service's.
    /// </summary>
    public async Task<IReadOnlyList<RouterEpoch>> GetRouterEpochsAsync(CancellationToken cancellationToken)
    {
        string service = $"{ObjectNames.RouterService(ObjectMetadata.NameOf(cluster))}.{ObjectMetadata.NamespaceOf(cluster)}.svc";
        Task<RouterEpoch>[] requests = [.. routers.Select(async r =>
        {
            byte[]? body = await GetAsync(r.Value, service, "/ring/epoch", cancellationToken).ConfigureAwait(false);
            return new RouterEpoch(r.Key, body is null ? null : RouterEpochJson.TryParse(body));
        })];
        return await Task.WhenAll(requests).ConfigureAwait(false);
    }

    /// <summary>The body of a 200 answer to GET <paramref name="path"/> of the pod <paramref name="peerName"/> at <paramref name="address"/>; null for any other answer, none in time, or a certificate refused.</summary>
    private async Task<byte[]?> GetAsync(string address, string peerName, string path, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(HandoffRequestTimeout);
        try
        {
            using HttpRequestMessage request = http.Get(address, peerName, path);
            if (apiKey is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
            }

            using HttpResponseMessage response = await http.Client.SendAsync(request, timeout.Token).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return null;
            }

            return await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or UriFormatException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>
    /// The key sent to the nodes: the first key listed in the auth Secret's value (the nodes'
    /// --auth-keys-file format: one key per line, <c>#</c> comments). Kept in memory only.
    /// </summary>
    public static string? FirstKey(byte[]? keysFile)
    {
        if (keysFile is null)
        {
            return null;
        }

        foreach (string line in Encoding.UTF8.GetString(keysFile).Split('\n'))
        {
            string key = line.Trim();
            if (key.Length > 0 && !key.StartsWith('#'))
            {
                return key;
            }
        }

        return null;
    }
}
