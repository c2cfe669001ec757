using KubeCache.Hosting.Options;
using KubeCache.Testing;

namespace KubeCache.Router.Tests.Limits;

/// <summary>The output limit (<see cref="OutputLimitContract"/>) on a router's port shared by HTTP and RESP, in front of one node.</summary>
public sealed class RouterOutputLimitTests : OutputLimitContract
{
    protected override async Task<Front> StartAsync(Action<ServerOptions> limits)
    {
        RouterCluster cluster = await RouterCluster.StartAsync(nodes: 1, configure: limits);
        return new Front(cluster.Router, cluster.Router.HttpEndPoint, cluster);
    }
}
