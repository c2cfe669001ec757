using KubeCache.CacheNode.Hosting;
using KubeCache.Hosting.Options;
using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Limits;

/// <summary>The output limit (<see cref="OutputLimitContract"/>) on a node's RESP port.</summary>
public sealed class OutputLimitTests : OutputLimitContract
{
    protected override async Task<Front> StartAsync(Action<ServerOptions> limits)
    {
        CacheNodeServer node = await TestNodes.StartAsync(limits);
        return new Front(node, node.RespEndPoint!, node);
    }
}
