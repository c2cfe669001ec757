using System.Net;
using System.Text;
using KubeCache.CacheNode.Hosting;
using KubeCache.Router.Hosting;
using KubeCache.Router.Options;
using KubeCache.Testing;
using KubeCache.Topology;
using Microsoft.Extensions.Logging;

namespace KubeCache.Router.Tests.Resp.Support;

/// <summary>
/// A router in front of real nodes, all in-process on loopback: nodes named <c>node-0</c>…, a ring
/// file in a temporary folder, and RESP clients to the router or straight to a node.
/// </summary>
public sealed class RouterCluster : IAsyncDisposable
{
    private readonly Dictionary<string, CacheNodeServer> _nodes;
    private readonly HashSet<string> _stopped = [];
    private readonly string _folder;

    private RouterCluster(Dictionary<string, CacheNodeServer> nodes, RouterServer router, RingDocument ring, string folder)
    {
        _nodes = nodes;
        Router = router;
        Ring = ring;
        _folder = folder;
    }

    public RouterServer Router { get; }

    /// <summary>The ring document the router follows.</summary>
    public RingDocument Ring { get; }

    /// <summary>The router's RESP endpoint.</summary>
    public IPEndPoint Resp => Router.RespEndPoint!;

    public IEnumerable<CacheNodeServer> Nodes => _nodes.Values;

    /// <summary>
    /// Starts <paramref name="nodes"/> nodes and a router whose ring is <paramref name="ring"/>
    /// applied to their members (by default all of them, epoch 1, no rebalance).
    /// </summary>
    public static async Task<RouterCluster> StartAsync(
        int nodes, Func<IReadOnlyList<RingMember>, RingDocument>? ring = null, TimeSpan? upstreamTimeout = null, bool writeRing = true)
    {
        var servers = new Dictionary<string, CacheNodeServer>();
        var members = new List<RingMember>();
        for (int i = 0; i < nodes; i++)
        {
            CacheNodeServer node = await TestNodes.StartAsync();
            string name = $"node-{i}";
            servers[name] = node;
            members.Add(new RingMember(name, $"127.0.0.1:{node.HttpEndPoint.Port}", $"127.0.0.1:{node.RespEndPoint!.Port}"));
        }

        RingDocument document = ring?.Invoke(members) ?? new RingDocument { Cluster = "test", Epoch = 1, Members = members };
        string folder = Directory.CreateTempSubdirectory("kvcache-router-resp-").FullName;
        string ringFile = Path.Combine(folder, "ring.json");
        if (writeRing)
        {
            await File.WriteAllBytesAsync(ringFile, document.ToUtf8Json());
        }

        // Generous by default: every test class starts at once on a loaded 2-core machine.
        RouterServer router = await StartRouterAsync(ringFile, upstreamTimeout ?? TimeSpan.FromSeconds(10));
        var cluster = new RouterCluster(servers, router, document, folder);
        if (writeRing)
        {
            await Poll.UntilAsync(() => Task.FromResult(router.Routes.Routes?.Epoch == document.Epoch), "the router to load the ring");
        }

        return cluster;
    }

    /// <summary>Starts a router; as with nodes, the RESP port was free a moment ago and the start is retried if it is taken meanwhile.</summary>
    private static async Task<RouterServer> StartRouterAsync(string ringFile, TimeSpan upstreamTimeout)
    {
        for (int attempt = 1; ; attempt++)
        {
            var options = new RouterOptions
            {
                Bind = "127.0.0.1",
                HttpPort = 0,
                RespPort = Ports.Free(),
                RingFile = ringFile,
                RingPollInterval = TimeSpan.FromMilliseconds(100),
                UpstreamTimeout = upstreamTimeout,
            };
            RouterServer router = RouterServer.Create(options, logging: l => l.ClearProviders());
            try
            {
                await router.StartAsync();
                return router;
            }
            catch (IOException) when (attempt < 5)
            {
                await router.DisposeAsync();
            }
        }
    }

    public CacheNodeServer Node(string name) => _nodes[name];

    /// <summary>The current owner of <paramref name="key"/>.</summary>
    public string OwnerOf(string key) => Ring.CurrentRing().OwnerOf(Encoding.UTF8.GetBytes(key)).Name;

    /// <summary>The owner of <paramref name="key"/> before the rebalance in progress.</summary>
    public string PreviousOwnerOf(string key) => Ring.PreviousRing()!.OwnerOf(Encoding.UTF8.GetBytes(key)).Name;

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

    internal Task<RespTestClient> ConnectAsync() => RespTestClient.ConnectAsync(Resp);

    internal Task<RespTestClient> ConnectToNodeAsync(string name) => RespTestClient.ConnectAsync(_nodes[name].RespEndPoint!);

    public async Task StopNodeAsync(string name)
    {
        _stopped.Add(name);
        await _nodes[name].DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Router.DisposeAsync();
        foreach ((string name, CacheNodeServer node) in _nodes)
        {
            if (_stopped.Add(name))
            {
                await node.DisposeAsync();
            }
        }

        Directory.Delete(_folder, recursive: true);
    }
}

/// <summary>A router in front of three nodes, shared by the tests of one collection.</summary>
public sealed class RouterClusterFixture : IAsyncLifetime
{
    private RouterCluster? _cluster;

    public RouterCluster Cluster => _cluster ?? throw new InvalidOperationException("The fixture is not initialised.");

    public async Task InitializeAsync() => _cluster = await RouterCluster.StartAsync(3);

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}

/// <summary>Tests that share one router and its three nodes; FLUSHALL and DBSIZE need them not to run at once.</summary>
[CollectionDefinition(Name)]
public sealed class SharedRouterCollection : ICollectionFixture<RouterClusterFixture>
{
    public const string Name = "Router RESP shared cluster";
}
