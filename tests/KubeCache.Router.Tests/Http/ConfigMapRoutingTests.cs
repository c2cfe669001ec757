using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using KubeCache.CacheNode.Hosting;
using KubeCache.CacheNode.Options;
using KubeCache.Kubernetes;
using KubeCache.Router.Hosting;
using KubeCache.Router.Options;
using KubeCache.Testing;
using KubeCache.Topology;
using Microsoft.Extensions.Logging;
using ApiServer = KubeCache.FakeApiServer.FakeApiServer;

namespace KubeCache.Router.Tests.Http;

/// <summary>A router following the ring ConfigMap through a fake API server (--ring-configmap).</summary>
public sealed class ConfigMapRoutingTests : IAsyncLifetime
{
    private readonly List<CacheNodeServer> _nodes = [];
    private readonly List<RingMember> _members = [];
    private ApiServer _server = null!;
    private RouterServer _router = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiServer.StartAsync();
        for (int i = 0; i < 2; i++)
        {
            var options = new NodeOptions { Bind = "127.0.0.1", HttpPort = 0, RespPort = 0, MaxMemoryBytes = 64L << 20, NodeName = $"node-{i}" };
            CacheNodeServer node = CacheNodeServer.Create(options, logging: l => l.ClearProviders());
            await node.StartAsync();
            _nodes.Add(node);
            _members.Add(new RingMember($"node-{i}", node.HttpEndPoint.ToString(), node.HttpEndPoint.ToString()));
        }

        var routerOptions = new RouterOptions { Bind = "127.0.0.1", HttpPort = 0, RespPort = 0, RingConfigMap = "demo-ring", Namespace = "default" };
        _router = RouterServer.Create(routerOptions, logging: l => l.ClearProviders(), kubernetes: KubernetesConnection.FromKubeconfig(_server.KubeconfigPath));
        await _router.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri($"http://{_router.HttpEndPoint}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    [Fact]
    public async Task RingConfigMap_Published_RouterBecomesReadyAndRoutesToTheMembersNamed()
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await _client.GetAsync("/readyz")).StatusCode);

        await PublishAsync(RouterCluster.Document(1, [_members[0]]));

        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/readyz")).StatusCode);
        await PutAsync("first", "1");
        Assert.Equal("1", Stored(0, "first"));
        Assert.Null(Stored(1, "first"));
    }

    [Fact]
    public async Task RingConfigMap_Changed_RoutesToTheNewOwner()
    {
        await PublishAsync(RouterCluster.Document(1, [_members[0]]));
        await PutAsync("before", "1");

        await PublishAsync(RouterCluster.Document(2, [_members[1]]));
        await PutAsync("after", "2");

        Assert.Equal("1", Stored(0, "before"));
        Assert.Equal("2", Stored(1, "after"));
        Assert.Null(Stored(0, "after"));
    }

    [Fact]
    public async Task RingConfigMap_MalformedDocument_KeepsTheLastGoodRing()
    {
        await PublishAsync(RouterCluster.Document(1, [_members[0]]));

        Publish("not json at all");
        await PublishAsync(RouterCluster.Document(2, [_members[1]]));
        Publish("{\"epoch\":");

        // Malformed documents in between neither take the ring away nor stop the router following.
        await PublishAsync(RouterCluster.Document(3, [_members[1]]));
        Assert.Equal(3, _router.Routes.Routes!.Epoch);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/readyz")).StatusCode);
    }

    private async Task PublishAsync(RingDocument document)
    {
        Publish(Encoding.UTF8.GetString(document.ToUtf8Json()));
        await Poll.UntilAsync(() => Task.FromResult(_router.Routes.Routes?.Epoch == document.Epoch), $"the router to use epoch {document.Epoch}");
    }

    private void Publish(string json)
    {
        var map = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = "demo-ring", ["namespace"] = "default" },
            ["data"] = new JsonObject { ["ring.json"] = json },
        };
        _ = _server.Get("", "configmaps", "default", "demo-ring") is null ? _server.Create(map) : _server.Update(map);
    }

    private async Task PutAsync(string key, string value)
    {
        using var body = new StringContent($"{{\"key\":\"{key}\",\"value\":\"{value}\"}}");
        using HttpResponseMessage response = await _client.PostAsync("/put", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private string? Stored(int index, string key) =>
        _nodes[index].Store.Get(Encoding.UTF8.GetBytes(key), out ReadOnlyMemory<byte> value) == CacheNode.Storage.StoreStatus.Ok
            ? Encoding.UTF8.GetString(value.Span)
            : null;

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _router.DisposeAsync();
        foreach (CacheNodeServer node in _nodes)
        {
            await node.DisposeAsync();
        }

        await _server.DisposeAsync();
    }
}
