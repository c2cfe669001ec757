using KubeCache.CacheNode.Tests.Resp.Support;
using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Resp;

/// <summary>RESP3 and transactions (<see cref="RespContract"/>) held against a node.</summary>
[Collection(SharedNodeCollection.Name)]
public sealed class RespContractTests(NodeFixture fixture) : RespContract
{
    protected override Task<RespTestClient> ConnectAsync() => fixture.ConnectAsync();
}
