using System.Text;
using KubeCache.CacheNode.Hosting;
using KubeCache.CacheNode.Options;
using KubeCache.Router.Hosting;
using KubeCache.Router.Options;
using KubeCache.Testing;
using KubeCache.Topology;
using Microsoft.Extensions.Logging;

namespace KubeCache.Router.Tests.Http;

/// <summary>
/// A router in front of real in-process nodes on loopback, following a ring file this class
/// writes, and the key API client aimed at the router. Each member's RESP address is the node's
/// HTTP endpoint, which accepts RESP too.
/// </summary>
public sealed class RouterCluster : KeyApiClient, IAsyncDisposable
{
    private readonly string _ringFile;
    private readonly bool[] _stopped;

    private RouterCluster(CacheNodeServer[] nodes, RingMember[] members, string ringFile, RouterServer router, HttpClient client)
        : base(client)
    {
        Nodes = nodes;
        Members = members;
        _ringFile = ringFile;
        _stopped = new bool[nodes.Length];
        Router = router;
    }

    public IReadOnlyList<CacheNodeServer> Nodes { get; }

    /// <summary>One member per node, named <c>node-0</c>, <c>node-1</c>, …</summary>
    public IReadOnlyList<RingMember> Members { get; }

    public RouterServer Router { get; }

    /// <summary>Starts <paramref name="nodes"/> nodes and a router whose ring (epoch 1) holds the first <paramref name="ringSize"/> of them (all by default).</summary>
    public static async Task<RouterCluster> StartAsync(
        int nodes = 3, int? ringSize = null, Action<RouterOptions>? configure = null, Action<NodeOptions>? configureNode = null)
    {
        var servers = new CacheNodeServer[nodes];
        var members = new RingMember[nodes];
        for (int i = 0; i < nodes; i++)
        {
            var options = new NodeOptions
            {
                Bind = "127.0.0.1",
                HttpPort = 0,
                RespPort = 0,
                MaxMemoryBytes = 64L << 20,
                NodeName = $"node-{i}",
                ShutdownTimeout = TimeSpan.FromSeconds(1),
            };
            configureNode?.Invoke(options);
            servers[i] = CacheNodeServer.Create(options, logging: l => l.ClearProviders());
            await servers[i].StartAsync();
            string address = servers[i].HttpEndPoint.ToString();
            members[i] = new RingMember($"node-{i}", address, address);
        }

        string ringFile = Path.Combine(Path.GetTempPath(), $"kubecache-router-http-{Guid.NewGuid():N}.json");
        await File.WriteAllBytesAsync(ringFile, Document(1, members[..(ringSize ?? nodes)]).ToUtf8Json());
        var routerOptions = new RouterOptions { Bind = "127.0.0.1", HttpPort = 0, RespPort = 0, RingFile = ringFile, RingPollInterval = TimeSpan.FromMilliseconds(50) };
        configure?.Invoke(routerOptions);
        RouterServer router = RouterServer.Create(routerOptions, logging: l => l.ClearProviders());
        await router.StartAsync();
        var client = new HttpClient { BaseAddress = new Uri($"http://{router.HttpEndPoint}"), Timeout = TimeSpan.FromSeconds(30) };
        var cluster = new RouterCluster(servers, members, ringFile, router, client);
        await Poll.UntilAsync(() => Task.FromResult(router.Routes.Routes is not null), "the router to read its ring");
        return cluster;
    }

    public static RingDocument Document(long epoch, IReadOnlyList<RingMember> members, RingGeneration? previous = null) =>
        new() { Cluster = "test", Epoch = epoch, Members = members, Previous = previous };

    /// <summary>Replaces the ring file (atomically) and waits until the router routes by the new document.</summary>
    public async Task PublishAsync(RingDocument document)
    {
        string temporary = _ringFile + ".tmp";
        await File.WriteAllBytesAsync(temporary, document.ToUtf8Json());
        File.Move(temporary, _ringFile, overwrite: true);
        await Poll.UntilAsync(() => Task.FromResult(Router.Routes.Routes?.Epoch == document.Epoch), $"the router to use epoch {document.Epoch}");
    }

    /// <summary>The index of the node that owns <paramref name="key"/> in the ring the router uses.</summary>
    public int OwnerOf(string key) => IndexOf(Router.Routes.Routes!.Ring.OwnerOf(Encoding.UTF8.GetBytes(key)));

    public int IndexOf(RingMember member) => int.Parse(member.Name["node-".Length..], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A fresh key for which <paramref name="accept"/> holds.</summary>
    public static string KeyWhere(string prefix, Func<string, bool> accept)
    {
        for (int i = 0; ; i++)
        {
            string key = $"{prefix}:{Guid.NewGuid():N}";
            if (accept(key))
            {
                return key;
            }
        }
    }

    /// <summary>The value node <paramref name="index"/> holds for <paramref name="key"/>, or null.</summary>
    public string? Stored(int index, string key) =>
        Nodes[index].Store.Get(Encoding.UTF8.GetBytes(key), out ReadOnlyMemory<byte> value) == CacheNode.Storage.StoreStatus.Ok
            ? Encoding.UTF8.GetString(value.Span)
            : null;

    public void Store(int index, string key, string value) =>
        Assert.Equal(CacheNode.Storage.StoreStatus.Ok, Nodes[index].Store.Set(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(value)));

    public async Task StopNodeAsync(int index)
    {
        _stopped[index] = true;
        await Nodes[index].StopAsync();
        await Nodes[index].DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Router.StopAsync();
        await Router.DisposeAsync();
        for (int i = 0; i < Nodes.Count; i++)
        {
            if (!_stopped[i])
            {
                await Nodes[i].StopAsync();
                await Nodes[i].DisposeAsync();
            }
        }

        File.Delete(_ringFile);
    }
}
