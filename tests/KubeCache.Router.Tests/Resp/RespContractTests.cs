using KubeCache.Testing;

namespace KubeCache.Router.Tests.Resp;

/// <summary>RESP3 and transactions (<see cref="RespContract"/>) held against a router in front of three nodes.</summary>
[Collection(SharedRouterCollection.Name)]
public sealed class RespContractTests(RouterClusterFixture fixture) : RespContract
{
    protected override Task<RespTestClient> ConnectAsync() => fixture.Cluster.ConnectAsync();
}
