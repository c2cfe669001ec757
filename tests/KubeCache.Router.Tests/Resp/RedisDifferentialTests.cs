using System.Net;
using KubeCache.Testing;

namespace KubeCache.Router.Tests.Resp;

/// <summary>The differential scripts (<see cref="RedisDifferentialContract{TServers}"/>) through a router over one node of its own.</summary>
public sealed class RedisDifferentialTests(RedisDifferentialTests.Servers servers)
    : RedisDifferentialContract<RedisDifferentialTests.Servers>(servers), IClassFixture<RedisDifferentialTests.Servers>
{
    public sealed class Servers : RedisDifferentialServers
    {
        protected override async Task<(IAsyncDisposable Front, IPEndPoint Resp)> StartFrontAsync()
        {
            RouterCluster cluster = await RouterCluster.StartAsync(1, fenced: false);
            return (cluster, cluster.Resp);
        }
    }
}
