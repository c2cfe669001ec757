using System.Net;
using k8s;
using KubeCache.CacheNode.Hosting;
using KubeCache.CacheNode.Options;

namespace KubeCache.Testing;

/// <summary>
/// A real cache node on a loopback port chosen by the OS, and the key API client aimed at it.
/// </summary>
public sealed class TestNode : KeyApiClient, IAsyncDisposable
{
    private TestNode(CacheNodeServer server, HttpClient client)
        : base(client)
    {
        Server = server;
    }

    public CacheNodeServer Server { get; }

    /// <summary>Starts a node with the test defaults of <see cref="TestNodes.StartAsync"/>, but no RESP port, changed by <paramref name="configure"/>.</summary>
    /// <param name="configure">Changes the test defaults.</param>
    /// <param name="kubernetes">The API connection for --ring-configmap (a fake API server's).</param>
    public static async Task<TestNode> StartAsync(Action<NodeOptions>? configure = null, KubernetesClientConfiguration? kubernetes = null)
    {
        CacheNodeServer server = await TestNodes.StartAsync(
            o =>
            {
                o.RespPort = 0;
                configure?.Invoke(o);
            },
            kubernetes);
        var client = new HttpClient { BaseAddress = new Uri($"http://{server.HttpEndPoint}"), Timeout = TimeSpan.FromSeconds(30) };
        return new TestNode(server, client);
    }

    /// <summary>Polls GET /get until it answers 404 or <paramref name="deadline"/> passes.</summary>
    public async Task<Reply> WaitForMissAsync(string key, TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        Reply reply = await GetKeyAsync(key);
        while (reply.Status != HttpStatusCode.NotFound && !timeout.IsCancellationRequested)
        {
            await Task.Delay(20);
            reply = await GetKeyAsync(key);
        }

        return reply;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.StopAsync();
        await Server.DisposeAsync();
    }
}
