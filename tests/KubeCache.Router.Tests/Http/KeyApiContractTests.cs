using System.Net;
using KubeCache.Testing;

namespace KubeCache.Router.Tests.Http;

/// <summary>The key API's contract (<see cref="KeyApiContract"/>) held against a router.</summary>
[Collection(SharedClusterCollection.Name)]
public sealed class KeyApiContractTests(ClusterFixture fixture) : KeyApiContract
{
    protected override KeyApiClient Api => fixture.Cluster;

    /// <summary>The router's HTTP port, which takes RESP too.</summary>
    protected override IPEndPoint Resp => fixture.Cluster.Router.HttpEndPoint;
}
