using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using KubeCache.Kubernetes;
using KubeCache.Testing;
using KubeCache.Topology;
using ApiServer = KubeCache.FakeApiServer.FakeApiServer;

namespace KubeCache.Router.Tests.Http;

/// <summary>A router following the ring ConfigMap through a fake API server (--ring-configmap).</summary>
public sealed class ConfigMapRoutingTests : IAsyncLifetime
{
    private ApiServer _server = null!;
    private RouterCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiServer.StartAsync();
        _cluster = await RouterCluster.StartAsync(
            nodes: 2,
            writeRing: false,
            configure: o =>
            {
                o.RingFile = null;
                o.RingConfigMap = "demo-ring";
                o.Namespace = "default";
            },
            kubernetes: KubernetesConnection.FromKubeconfig(_server.KubeconfigPath));
    }

    [Fact]
    public async Task RingConfigMap_Published_RouterBecomesReadyAndRoutesToTheMembersNamed()
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await _cluster.GetAsync("/readyz")).Status);

        await PublishAsync(RouterCluster.Document(1, [_cluster.Members[0]]));

        Assert.Equal(HttpStatusCode.OK, (await _cluster.GetAsync("/readyz")).Status);
        await PutAsync("first", "1");
        Assert.Equal("1", _cluster.Stored("node-0", "first"));
        Assert.Null(_cluster.Stored("node-1", "first"));
    }

    [Fact]
    public async Task RingConfigMap_Changed_RoutesToTheNewOwner()
    {
        await PublishAsync(RouterCluster.Document(1, [_cluster.Members[0]]));
        await PutAsync("before", "1");

        await PublishAsync(RouterCluster.Document(2, [_cluster.Members[1]]));
        await PutAsync("after", "2");

        Assert.Equal("1", _cluster.Stored("node-0", "before"));
        Assert.Equal("2", _cluster.Stored("node-1", "after"));
        Assert.Null(_cluster.Stored("node-0", "after"));
    }

    [Fact]
    public async Task RingConfigMap_MalformedDocument_KeepsTheLastGoodRing()
    {
        await PublishAsync(RouterCluster.Document(1, [_cluster.Members[0]]));

        Publish("not json at all");
        await PublishAsync(RouterCluster.Document(2, [_cluster.Members[1]]));
        Publish("{\"epoch\":");

        // Malformed documents in between neither take the ring away nor stop the router following.
        await PublishAsync(RouterCluster.Document(3, [_cluster.Members[1]]));
        Assert.Equal(3, _cluster.Router.Routes.Routes!.Epoch);
        Assert.Equal(HttpStatusCode.OK, (await _cluster.GetAsync("/readyz")).Status);
    }

    private async Task PublishAsync(RingDocument document)
    {
        Publish(Encoding.UTF8.GetString(document.ToUtf8Json()));
        await Poll.UntilAsync(() => _cluster.Router.Routes.Routes?.Epoch == document.Epoch, $"the router to use epoch {document.Epoch}");
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

    private async Task PutAsync(string key, string value) =>
        Assert.Equal(HttpStatusCode.OK, (await _cluster.PutAsync(key, value)).Status);

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        await _server.DisposeAsync();
    }
}
