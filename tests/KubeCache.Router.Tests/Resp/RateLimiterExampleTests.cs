using System.Net;
using KubeCache.Testing;

namespace KubeCache.Router.Tests.Resp;

/// <summary>examples/rate-limiter (<see cref="RateLimiterContract"/>) against a router in front of three nodes.</summary>
[Collection(SharedRouterCollection.Name)]
public sealed class RateLimiterExampleTests(RouterClusterFixture fixture) : RateLimiterContract
{
    protected override IPEndPoint Resp => fixture.Cluster.Resp;
}
