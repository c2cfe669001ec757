using KubeCache.Testing;

namespace KubeCache.Router.Tests.Http;

/// <summary>
/// The router's GET /get and POST /put read by its own HTTP/1.1 reader (each forwarded to its
/// owner, answered from the connection's pipes) must answer exactly as Kestrel's endpoints do:
/// the same bytes sent on a fresh connection and on one a first request handed to Kestrel.
/// </summary>
public sealed class RouterHotPathTests
{
    private const string CloseHealth = "GET /health HTTP/1.1\r\nHost: router\r\nConnection: close\r\n\r\n";

    [Fact]
    public async Task PipelinedKeysOnEveryNode_SameRepliesAsKestrel()
    {
        await using RouterCluster cluster = await RouterCluster.StartAsync(nodes: 3);
        string requests = string.Concat(Enumerable.Range(0, 20).Select(i =>
        {
            string body = $"{{\"key\":\"rh:{i}\",\"value\":\"v{i}\"}}";
            return $"POST /put HTTP/1.1\r\nHost: router\r\nContent-Length: {body.Length}\r\n\r\n{body}"
                + $"GET /get?key=rh:{i} HTTP/1.1\r\nHost: router\r\n\r\n"
                + $"GET /get?key=rh:none{i} HTTP/1.1\r\nHost: router\r\n\r\n";
        })) + "GET /get HTTP/1.1\r\nHost: router\r\n\r\n" + CloseHealth;

        List<string> kestrel = (await ExchangeAsync(cluster, "GET /health HTTP/1.1\r\nHost: router\r\n\r\n" + requests))[1..];
        List<string> hot = await ExchangeAsync(cluster, requests);

        Assert.Equal(62, hot.Count);
        Assert.Equal(kestrel, hot);
        Assert.EndsWith("{\"status\":\"OK\",\"key\":\"rh:7\",\"value\":\"v7\"}", hot[22], StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 404 ", hot[23], StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 400 ", hot[60], StringComparison.Ordinal);
        Assert.Equal(3, Enumerable.Range(0, 20).Select(i => cluster.OwnerOf($"rh:{i}")).Distinct().Count());
    }

    private static async Task<List<string>> ExchangeAsync(RouterCluster cluster, string requests)
    {
        using RawClient client = await RawClient.ConnectAsync(cluster.Router.HttpEndPoint);
        await client.SendAsync(requests);
        return HttpResponses.Parse(await client.ReadToCloseAsync());
    }
}
