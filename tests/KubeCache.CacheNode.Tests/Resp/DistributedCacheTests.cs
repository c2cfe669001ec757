using System.Net;
using KubeCache.CacheNode.Tests.Resp.Support;
using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Resp;

/// <summary>ASP.NET Core's Redis distributed cache, HybridCache and session (<see cref="DistributedCacheContract"/>) against a node.</summary>
[Collection(SharedNodeCollection.Name)]
public sealed class DistributedCacheTests(NodeFixture fixture) : DistributedCacheContract
{
    protected override IPEndPoint Resp => fixture.Resp;
}
