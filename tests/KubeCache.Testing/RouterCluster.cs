using System.Net;
using System.Text;
using k8s;
using KubeCache.CacheNode.Hosting;
using KubeCache.CacheNode.Options;
using KubeCache.CacheNode.Storage;
using KubeCache.Router.Hosting;
using KubeCache.Router.Options;
using KubeCache.Topology;

namespace KubeCache.Testing;

/// <summary>
/// A router in front of real nodes, all in-process on loopback: nodes <c>node-0</c>, <c>node-1</c>, …
/// (each with its own RESP port), a ring file in a temporary folder that the router follows, the
/// key API client aimed at the router, and RESP clients to the router or straight to a node.
/// </summary>
public sealed class RouterCluster : KeyApiClient, IAsyncDisposable
{
    private readonly HashSet<string> _stopped = [];
    private readonly string _folder;

    private RouterCluster(IReadOnlyList<CacheNodeServer> nodes, IReadOnlyList<RingMember> members, RouterServer router, RingDocument ring, string folder)
        : base(new HttpClient { BaseAddress = new Uri($"http://{router.HttpEndPoint}"), Timeout = TimeSpan.FromSeconds(30) })
    {
        Nodes = nodes;
        Members = members;
        Router = router;
        Ring = ring;
        _folder = folder;
    }

    public RouterServer Router { get; }

    /// <summary>The router's RESP endpoint.</summary>
    public IPEndPoint Resp => Router.RespEndPoint!;

    /// <summary>The nodes, in the order of <see cref="Members"/>.</summary>
    public IReadOnlyList<CacheNodeServer> Nodes { get; }

    /// <summary>One member per node, named <c>node-0</c>, <c>node-1</c>, …, whether the ring holds it or not.</summary>
    public IReadOnlyList<RingMember> Members { get; }

    /// <summary>The ring document the cluster started with, or the last one <see cref="PublishAsync"/> gave the router.</summary>
    public RingDocument Ring { get; private set; }

    private string RingFile => Path.Combine(_folder, "ring.json");

    /// <summary>Starts <paramref name="nodes"/> nodes and a router whose ring is <paramref name="ring"/> applied to their members.</summary>
    /// <param name="nodes">How many nodes to start.</param>
    /// <param name="fenced">
    /// Whether each node's --node-name is its name in the ring, as in a deployment: the node then
    /// takes the ring document the router declares and judges keys by it, refusing those another
    /// member owns. False leaves the nodes outside the router's ring (they keep the host name), so
    /// each serves every key and a test can read or write any node directly.
    /// </param>
    /// <param name="ring">The ring from the members; by default all of them, epoch 1, no rebalance.</param>
    /// <param name="writeRing">False starts the router with no ring file (or with the ring source <paramref name="configure"/> sets).</param>
    /// <param name="configure">Changes the router's test defaults (<see cref="TestRouters.StartAsync"/>).</param>
    /// <param name="configureNode">Changes each node's test defaults (<see cref="TestNodes.StartAsync"/>, 1 s shutdown).</param>
    /// <param name="kubernetes">The router's API connection, for --ring-configmap (a fake API server's).</param>
    public static async Task<RouterCluster> StartAsync(
        int nodes = 3,
        bool fenced = true,
        Func<IReadOnlyList<RingMember>, RingDocument>? ring = null,
        bool writeRing = true,
        Action<RouterOptions>? configure = null,
        Action<NodeOptions>? configureNode = null,
        KubernetesClientConfiguration? kubernetes = null)
    {
        var servers = new List<CacheNodeServer>();
        var members = new List<RingMember>();
        for (int i = 0; i < nodes; i++)
        {
            string name = $"node-{i}";
            CacheNodeServer node = await TestNodes.StartAsync(o =>
            {
                o.NodeName = fenced ? name : o.NodeName;
                o.ShutdownTimeout = TimeSpan.FromSeconds(1);
                configureNode?.Invoke(o);
            });
            servers.Add(node);
            members.Add(new RingMember(name, $"127.0.0.1:{node.HttpEndPoint.Port}", $"127.0.0.1:{node.RespEndPoint!.Port}"));
        }

        RingDocument document = ring?.Invoke(members) ?? Document(1, members);
        string folder = Directory.CreateTempSubdirectory("kvcache-router-cluster-").FullName;
        string ringFile = Path.Combine(folder, "ring.json");
        if (writeRing)
        {
            await File.WriteAllBytesAsync(ringFile, document.ToUtf8Json());
        }

        RouterServer router = await TestRouters.StartAsync(
            o =>
            {
                o.RingFile = ringFile;
                configure?.Invoke(o);
            },
            kubernetes);
        var cluster = new RouterCluster(servers, members, router, document, folder);
        if (writeRing)
        {
            await cluster.WaitForRouterAsync(document);
        }

        return cluster;
    }

    public static RingDocument Document(long epoch, IReadOnlyList<RingMember> members, RingGeneration? previous = null) =>
        new() { Cluster = "test", Epoch = epoch, Members = members, Previous = previous };

    /// <summary>Replaces the ring file (atomically) and waits until the router routes by the new document.</summary>
    public async Task PublishAsync(RingDocument document)
    {
        string temporary = RingFile + ".tmp";
        await File.WriteAllBytesAsync(temporary, document.ToUtf8Json());
        File.Move(temporary, RingFile, overwrite: true);
        Ring = document;
        await WaitForRouterAsync(document);
    }

    private Task WaitForRouterAsync(RingDocument document) =>
        Poll.UntilAsync(() => Router.Routes.Routes?.Epoch == document.Epoch, $"the router to use epoch {document.Epoch}");

    public CacheNodeServer Node(string name) => Nodes[Members.ToList().FindIndex(m => m.Name == name)];

    /// <summary>The current owner of <paramref name="key"/> in <see cref="Ring"/>.</summary>
    public string OwnerOf(string key) => Ring.CurrentRing().OwnerOf(Encoding.UTF8.GetBytes(key)).Name;

    /// <summary>A fresh key that satisfies <paramref name="wanted"/> (e.g. has a given owner).</summary>
    public static string FindKey(string prefix, Func<string, bool> wanted)
    {
        for (int i = 0; ; i++)
        {
            string key = Keys.Unique($"{prefix}{i}");
            if (wanted(key))
            {
                return key;
            }
        }
    }

    /// <summary>The value node <paramref name="name"/> holds for <paramref name="key"/>, read from its store, or null.</summary>
    public string? Stored(string name, string key) =>
        Node(name).Store.Get(Encoding.UTF8.GetBytes(key), out ReadOnlyMemory<byte> value) == StoreStatus.Ok
            ? Encoding.UTF8.GetString(value.Span)
            : null;

    /// <summary>Writes straight into node <paramref name="name"/>'s store.</summary>
    public void Store(string name, string key, string value) =>
        Assert.Equal(StoreStatus.Ok, Node(name).Store.Set(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(value)));

    public Task<RespTestClient> ConnectAsync() => RespTestClient.ConnectAsync(Resp);

    public Task<RespTestClient> ConnectToNodeAsync(string name) => RespTestClient.ConnectAsync(Node(name).RespEndPoint!);

    public async Task StopNodeAsync(string name)
    {
        _stopped.Add(name);
        await StopAsync(Node(name));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await StopAsync(Router);
        for (int i = 0; i < Nodes.Count; i++)
        {
            if (_stopped.Add(Members[i].Name))
            {
                await StopAsync(Nodes[i]);
            }
        }

        Directory.Delete(_folder, recursive: true);
    }

    private static async Task StopAsync(KubeCache.Hosting.KubeCacheServer server)
    {
        await server.StopAsync();
        await server.DisposeAsync();
    }

}
