using System.Net;
using KubeCache.CacheNode.Hosting;
using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Resp;

/// <summary>The differential scripts (<see cref="RedisDifferentialContract{TServers}"/>) against a node of its own.</summary>
public sealed class RedisDifferentialTests(RedisDifferentialTests.Servers servers)
    : RedisDifferentialContract<RedisDifferentialTests.Servers>(servers), IClassFixture<RedisDifferentialTests.Servers>
{
    public sealed class Servers : RedisDifferentialServers
    {
        protected override async Task<(IAsyncDisposable Front, IPEndPoint Resp)> StartFrontAsync()
        {
            CacheNodeServer node = await TestNodes.StartAsync();
            return (node, node.RespEndPoint!);
        }
    }
}
