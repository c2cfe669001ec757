using System.Net;
using System.Net.Sockets;
using KubeCache.CacheNode.Hosting;
using KubeCache.CacheNode.Options;
using Microsoft.Extensions.Logging;

namespace KubeCache.Router.Tests.Support;

/// <summary>A real cache node on loopback, started in-process, shared by the tests of one collection.</summary>
public sealed class NodeFixture : IAsyncLifetime
{
    private CacheNodeServer? _node;

    public CacheNodeServer Node => _node ?? throw new InvalidOperationException("The fixture is not initialised.");

    /// <summary>The node's RESP address, <c>127.0.0.1:port</c>.</summary>
    public string Address => $"127.0.0.1:{Node.RespEndPoint!.Port}";

    /// <summary>
    /// Starts a node. --resp-port 0 means "no RESP listener", so RESP gets a port that was free a
    /// moment ago, and the start is retried in the rare case another process took it meanwhile.
    /// </summary>
    public static async Task<CacheNodeServer> StartNodeAsync()
    {
        for (int attempt = 1; ; attempt++)
        {
            var options = new NodeOptions { Bind = "127.0.0.1", HttpPort = 0, RespPort = FreePort(), MaxMemoryBytes = 64L << 20 };
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

    /// <summary>A loopback port nothing listens on (it was free a moment ago).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task InitializeAsync() => _node = await StartNodeAsync();

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }
    }
}

/// <summary>Tests that share one node; their keys are unique, so they only need not to run at once to keep timing sane on 2 cores.</summary>
[CollectionDefinition(Name)]
public sealed class SharedNodeCollection : ICollectionFixture<NodeFixture>
{
    public const string Name = "Router shared node";
}

/// <summary>Keys no other test uses.</summary>
internal static class Keys
{
    public static string Unique(string name) => $"{name}:{Guid.NewGuid():N}";
}
