using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KubeCache.Protocol;
using KubeCache.Testing;

namespace KubeCache.Consistency.Tests.History;

/// <summary>
/// One RESP connection per router, opened when first used, and an HTTP client for the routers'
/// key API. A command that fails (connection refused or broken, no reply in time) answers an
/// error reply and drops the connection, whose replies can no longer be matched to commands.
/// </summary>
public sealed class RouterConnections(ProcessCluster cluster) : IAsyncDisposable
{
    private readonly Dictionary<Participant, RespTestClient> _open = [];
    private readonly HttpClient _http = new() { Timeout = RespTestClient.ReplyTimeout };

    public async Task<RespValue> CallAsync(Participant router, string[] arguments)
    {
        try
        {
            if (!_open.TryGetValue(router, out RespTestClient? client))
            {
                _open[router] = client = await RespTestClient.ConnectAsync(router.Process?.RespEndPoint
                    ?? throw new IOException($"{router.Name} is not running"));
            }

            return await client.CallAsync(arguments);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            if (_open.Remove(router, out RespTestClient? broken))
            {
                await broken.DisposeAsync();
            }

            return RespValue.Error($"ERR client: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
        }
    }

    public IReadOnlyList<Participant> Routers => cluster.Routers;

    /// <summary>Whether the HTTP key API has a request for <paramref name="op"/>: GET, a SET without TTL (<c>/put</c>), DEL (<c>/delete</c>).</summary>
    public static bool HasHttp(KeyOp op) => op is GetOp or SetOp { TtlMs: 0 } or RemoveOp { Command: "DEL" };

    /// <summary>Runs <paramref name="op"/> through the router's HTTP key API; the answer as the RESP command's canonical reply.</summary>
    public async Task<string> CallHttpAsync(Participant router, KeyOp op, string key)
    {
        string address = $"http://{router.Process?.HttpEndPoint}";
        using HttpRequestMessage request = op switch
        {
            GetOp => new(HttpMethod.Get, $"{address}/get?key={Uri.EscapeDataString(key)}"),
            SetOp set => new(HttpMethod.Post, $"{address}/put") { Content = JsonContent.Create(new { key, value = set.Value }) },
            _ => new(HttpMethod.Delete, $"{address}/delete?key={Uri.EscapeDataString(key)}"),
        };
        try
        {
            using HttpResponseMessage response = await _http.SendAsync(request);
            string body = await response.Content.ReadAsStringAsync();
            return (op, response.StatusCode) switch
            {
                (_, HttpStatusCode.NotFound) => op is GetOp ? Replies.Nil : ":0",
                (GetOp, HttpStatusCode.OK) => Replies.Bulk(ValueOf(body)),
                (SetOp, HttpStatusCode.OK) => Replies.Ok,
                (RemoveOp, HttpStatusCode.OK) => ":1",
                _ => $"-ERR http {(int)response.StatusCode}: {body}",
            };
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return $"-ERR client: {e.GetType().Name}: {e.Message}";
        }
    }

    private static string? ValueOf(string body)
    {
        using JsonDocument json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("value").GetString();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (RespTestClient client in _open.Values)
        {
            await client.DisposeAsync();
        }

        _open.Clear();
        _http.Dispose();
    }
}
