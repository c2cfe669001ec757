using KubeCache.CacheNode.Hosting;
using KubeCache.Testing;

namespace KubeCache.Router.Tests.Support;

/// <summary>A real cache node on loopback, started in-process, shared by the tests of one collection.</summary>
public sealed class NodeFixture : IAsyncLifetime
{
    private CacheNodeServer? _node;

    public CacheNodeServer Node => _node ?? throw new InvalidOperationException("The fixture is not initialised.");

    /// <summary>The node's RESP address, <c>127.0.0.1:port</c>.</summary>
    public string Address => $"127.0.0.1:{Node.RespEndPoint!.Port}";

    /// <summary>Starts a node with the test defaults; see <see cref="TestNodes.StartAsync"/>.</summary>
    public static Task<CacheNodeServer> StartNodeAsync() => TestNodes.StartAsync();


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
