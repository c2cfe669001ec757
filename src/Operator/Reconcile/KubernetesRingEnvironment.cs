using System.Net;
using System.Net.Http.Headers;
using System.Text;
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
/// leader continues from what was published; written by server-side apply), and each node is
/// asked <c>GET /cluster/handoff</c> with the cluster's API key when auth is on.
/// </summary>
public sealed class KubernetesRingEnvironment(IKubernetes client, HttpClient http, KvCluster cluster, string? apiKey) : IRebalanceEnvironment
{
    /// <summary>How long one node may take to answer its handoff status before it counts as unreachable.</summary>
    public static readonly TimeSpan HandoffRequestTimeout = TimeSpan.FromSeconds(2);

    /// <summary>The document published; null when the ConfigMap or its ring.json does not exist yet.</summary>
    /// <exception cref="RingFormatException">ring.json exists but is not a valid ring document.</exception>
    public async Task<RingDocument?> ReadRingAsync(CancellationToken cancellationToken)
    {
        string ns = ObjectMetadata.NamespaceOf(cluster);
        string name = ObjectNames.RingConfigMap(ObjectMetadata.NameOf(cluster));
        V1ConfigMap? map = await client.TryGetAsync<V1ConfigMap>(ApiResource.ConfigMaps, ns, name, cancellationToken).ConfigureAwait(false);
        return map?.Data is { } data && data.TryGetValue(ConfigMapBuilder.RingKey, out string? json) && json.Length > 0 ? RingDocument.Parse(json) : null;
    }

    public async Task PublishRingAsync(RingDocument document, CancellationToken cancellationToken)
    {
        V1ConfigMap map = ConfigMapBuilder.BuildRing(cluster, document);
        await client.ApplyAsync(ApiResource.ConfigMaps, map, OperatorResources.FieldManager, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>GET http://&lt;member http&gt;/cluster/handoff; null when the node does not answer 200 with a status.</summary>
    public async Task<HandoffStatus?> GetHandoffStatusAsync(RingMember member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(HandoffRequestTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://{member.Http}/cluster/handoff"));
            if (apiKey is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
            }

            using HttpResponseMessage response = await http.SendAsync(request, timeout.Token).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return null;
            }

            byte[] body = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
            return HandoffStatusJson.TryParse(body);
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
