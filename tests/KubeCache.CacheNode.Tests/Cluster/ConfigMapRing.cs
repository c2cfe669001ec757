using System.Text;
using System.Text.Json.Nodes;
using k8s;
using KubeCache.Kubernetes;
using KubeCache.Testing;
using KubeCache.Topology;
using ApiServer = KubeCache.FakeApiServer.FakeApiServer;

namespace KubeCache.CacheNode.Tests.Cluster;

/// <summary>
/// A fake API server holding the ring ConfigMap <c>default/demo-ring</c>, and nodes that follow
/// it through the API as they do in a pod (<c>--ring-configmap demo-ring --namespace default</c>).
/// </summary>
internal sealed class ConfigMapRing : IAsyncDisposable
{
    public const string Name = "demo-ring";

    private readonly Dictionary<string, TestNode> _nodes = new(StringComparer.Ordinal);

    private ConfigMapRing(ApiServer server) => Server = server;

    public ApiServer Server { get; }

    public TestNode this[string name] => _nodes[name];

    public static async Task<ConfigMapRing> StartAsync(KubeCache.FakeApiServer.FakeApiServerOptions? options = null) =>
        new(await ApiServer.StartAsync(options));

    public KubernetesClientConfiguration Config() => KubernetesConnection.FromKubeconfig(Server.KubeconfigPath);

    public async Task<TestNode> StartNodeAsync(string name, Action<CacheNode.Options.NodeOptions>? configure = null)
    {
        TestNode node = await TestNode.StartAsync(
            o =>
            {
                o.NodeName = name;
                o.RingConfigMap = Name;
                o.Namespace = "default";
                configure?.Invoke(o);
            },
            Config());
        _nodes[name] = node;
        return node;
    }

    public RingMember Member(string name) => ClusterNodes.MemberAt(name, _nodes[name].Server.HttpEndPoint.Port);

    /// <summary>Creates or replaces the ConfigMap with <paramref name="json"/> under ring.json.</summary>
    public void Publish(string json)
    {
        var map = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = Name, ["namespace"] = "default" },
            ["data"] = new JsonObject { ["ring.json"] = json },
        };
        _ = Server.Get("", "configmaps", "default", Name) is null ? Server.Create(map) : Server.Update(map);
    }

    public void Publish(RingDocument document) => Publish(Encoding.UTF8.GetString(document.ToUtf8Json()));

    /// <summary>Polls the node's GET /cluster/ring until it shows <paramref name="epoch"/>.</summary>
    public async Task WaitForEpochAsync(string name, long epoch)
    {
        long until = Environment.TickCount64 + 15_000;
        string last = "";
        while (Environment.TickCount64 < until)
        {
            Reply reply = await _nodes[name].GetAsync("/cluster/ring");
            last = reply.Body;
            if (reply.Status == System.Net.HttpStatusCode.OK && RingDocument.Parse(Encoding.UTF8.GetBytes(reply.Body)).Epoch == epoch)
            {
                return;
            }

            await Task.Delay(20);
        }

        Assert.Fail($"node {name} never showed epoch {epoch}; last /cluster/ring: {last}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (TestNode node in _nodes.Values)
        {
            await node.DisposeAsync();
        }

        await Server.DisposeAsync();
    }
}
