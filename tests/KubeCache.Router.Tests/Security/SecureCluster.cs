using System.Net;
using KubeCache.CacheNode.Hosting;
using KubeCache.Router.Hosting;
using KubeCache.Security;
using KubeCache.Testing;
using KubeCache.Topology;

namespace KubeCache.Router.Tests.Security;

/// <summary>
/// Two nodes and a router in-process with their own security settings: with TLS, the ring's
/// RESP addresses are the nodes' TLS RESP ports, as a cluster with TLS between pods has them.
/// </summary>
internal sealed class SecureCluster : IAsyncDisposable
{
    public const string Key = "router-test-key";

    private readonly List<CacheNodeServer> _nodes;

    private SecureCluster(List<CacheNodeServer> nodes, RouterServer router)
    {
        _nodes = nodes;
        Router = router;
    }

    public RouterServer Router { get; }

    public IReadOnlyList<CacheNodeServer> Nodes => _nodes;

    public static string WriteKeys(params string[] keys)
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("kvcache-keys-").FullName, "keys");
        File.WriteAllLines(path, keys.Length == 0 ? [Key] : keys);
        return path;
    }

    /// <param name="node">Sets each node's security (index, options).</param>
    /// <param name="router">Sets the router's security.</param>
    /// <param name="tlsRing">Whether the ring names the nodes' TLS RESP ports.</param>
    public static async Task<SecureCluster> StartAsync(Action<int, SecurityOptions> node, Action<SecurityOptions> router, bool tlsRing)
    {
        var nodes = new List<CacheNodeServer>();
        var members = new List<RingMember>();
        for (int i = 0; i < 2; i++)
        {
            CacheNodeServer server = await TestNodes.StartAsync(o =>
            {
                o.HttpPort = Ports.Free();
                node(i, o.Security);
                o.Security.TlsRespPort = o.Security.TlsEnabled ? Ports.Free() : 0;
            });
            nodes.Add(server);
            IPEndPoint resp = tlsRing ? server.TlsRespEndPoint! : server.RespEndPoint!;
            members.Add(new RingMember($"node-{i}", $"127.0.0.1:{server.HttpEndPoint.Port}", $"127.0.0.1:{resp.Port}"));
        }

        string ring = Path.Combine(Directory.CreateTempSubdirectory("kvcache-secure-ring-").FullName, "ring.json");
        await File.WriteAllBytesAsync(ring, new RingDocument { Cluster = "test", Epoch = 1, Members = members }.ToUtf8Json());
        RouterServer routerServer = await TestRouters.StartAsync(o =>
        {
            o.HttpPort = Ports.Free();
            o.RingFile = ring;
            o.Security.AuthMaxFailures = 0;
            router(o.Security);
        });
        await Poll.UntilAsync(() => routerServer.Routes.Routes?.Epoch == 1, "the router to load the ring");
        return new SecureCluster(nodes, routerServer);
    }

    public static void UseTls(SecurityOptions security, TlsFiles files)
    {
        security.TlsCertFile = files.CertFile;
        security.TlsKeyFile = files.KeyFile;
        security.TlsCaFile = files.CaFile;
    }

    public async ValueTask DisposeAsync()
    {
        await Router.DisposeAsync();
        foreach (CacheNodeServer node in _nodes)
        {
            await node.DisposeAsync();
        }
    }
}
