using System.Net;
using System.Net.Sockets;
using KubeCache.CacheNode.Hosting;
using KubeCache.CacheNode.Options;
using KubeCache.Testing;
using Microsoft.Extensions.Logging;

namespace KubeCache.CacheNode.Tests.Resp.Support;

/// <summary>
/// A real node on loopback with ephemeral ports, started once per collection or class. Tests
/// that change global state (FLUSHALL, DBSIZE, connection counts) get their own instance.
/// </summary>
public sealed class NodeFixture : IAsyncLifetime
{
    private CacheNodeServer? _node;

    public CacheNodeServer Node => _node ?? throw new InvalidOperationException("The fixture is not initialised.");

    public IPEndPoint Resp => Node.RespEndPoint!;

    public IPEndPoint Http => Node.HttpEndPoint;

    /// <summary>
    /// Starts a node with the test defaults, changed by <paramref name="configure"/>. HTTP takes an
    /// ephemeral port; --resp-port 0 means "no RESP listener", so RESP gets a port that was free a
    /// moment ago, and the start is retried in the rare case another process took it meanwhile.
    /// </summary>
    public static async Task<CacheNodeServer> StartNodeAsync(Action<NodeOptions>? configure = null)
    {
        for (int attempt = 1; ; attempt++)
        {
            var options = new NodeOptions { Bind = "127.0.0.1", HttpPort = 0, RespPort = FreePort(), MaxMemoryBytes = 64L << 20 };
            configure?.Invoke(options);
            CacheNodeServer node = CacheNodeServer.Create(options, logging: l => l.ClearProviders());
            try
            {
                await node.StartAsync();
                return node;
            }
            catch (IOException) when (attempt < 5)
            {
                await node.DisposeAsync();
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal Task<RespTestClient> ConnectAsync() => RespTestClient.ConnectAsync(Resp);

    public async Task InitializeAsync() => _node = await StartNodeAsync();

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }
    }
}

/// <summary>Tests that share one node run one at a time, so none sees another's FLUSHALL or keys mid-test.</summary>
[CollectionDefinition(Name)]
public sealed class SharedNodeCollection : ICollectionFixture<NodeFixture>
{
    public const string Name = "Resp shared node";
}

/// <summary>Keys no other test uses, so tests on a shared node never collide.</summary>
internal static class Keys
{
    public static string Unique(string name) => $"{name}:{Guid.NewGuid():N}";
}
