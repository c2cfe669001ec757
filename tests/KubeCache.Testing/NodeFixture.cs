using System.Net;
using KubeCache.CacheNode.Hosting;

namespace KubeCache.Testing;

/// <summary>
/// A real node on loopback with the test defaults (<see cref="TestNodes.StartAsync"/>) and a RESP
/// port, started once per collection or class, with the key API client aimed at it. Tests that
/// change global state (FLUSHALL, DBSIZE, connection counts) start their own instead.
/// </summary>
public sealed class NodeFixture : IAsyncLifetime
{
    private TestNode? _node;

    /// <summary>The node and the key API client aimed at it.</summary>
    public TestNode KeyApi => _node ?? throw new InvalidOperationException("The fixture is not initialised.");

    public CacheNodeServer Node => KeyApi.Server;

    public IPEndPoint Resp => Node.RespEndPoint!;

    public IPEndPoint Http => Node.HttpEndPoint;

    /// <summary>The node's RESP address, <c>127.0.0.1:port</c>, as a ring names it.</summary>
    public string Address => $"127.0.0.1:{Resp.Port}";

    public Task<RespTestClient> ConnectAsync() => RespTestClient.ConnectAsync(Resp);

    // A RESP port that was free a moment ago, drawn again on each start attempt (see TestNodes).
    public async Task InitializeAsync() => _node = await TestNode.StartAsync(o => o.RespPort = Ports.Free());

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }
    }
}

/// <summary>Keys no other test uses, so tests on a shared server never collide.</summary>
public static class Keys
{
    public static string Unique(string name) => $"{name}:{Guid.NewGuid():N}";
}
