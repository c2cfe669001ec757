using System.Net;
using KubeCache.CacheNode.Hosting;
using KubeCache.CacheNode.Options;
using KubeCache.Testing;

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

    /// <summary>Starts a node with the test defaults; see <see cref="TestNodes.StartAsync"/>.</summary>
    public static Task<CacheNodeServer> StartNodeAsync(Action<NodeOptions>? configure = null) => TestNodes.StartAsync(configure);


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
