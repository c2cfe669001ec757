using System.Net;
using KubeCache.Testing;

namespace KubeCache.Router.Tests.Resp;

/// <summary>ASP.NET Core's Redis distributed cache, HybridCache and session (<see cref="DistributedCacheContract"/>) against a router in front of three nodes.</summary>
[Collection(SharedRouterCollection.Name)]
public sealed class DistributedCacheTests(RouterClusterFixture fixture) : DistributedCacheContract
{
    protected override IPEndPoint Resp => fixture.Cluster.Resp;
}
