using System.Net;
using KubeCache.CacheNode.Tests.Resp.Support;
using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Resp;

/// <summary>The redis-benchmark contract against the node's RESP port.</summary>
[Collection(SharedNodeCollection.Name)]
public sealed class RedisBenchmarkTests(NodeFixture fixture) : RedisBenchmarkContract
{
    protected override IPEndPoint Resp => fixture.Resp;
}
