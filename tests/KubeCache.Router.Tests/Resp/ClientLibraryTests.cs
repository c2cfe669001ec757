using System.Net;
using KubeCache.Testing;

namespace KubeCache.Router.Tests.Resp;

/// <summary>Real client libraries (<see cref="ClientLibraryContract"/>) against a router in front of three nodes.</summary>
[Collection(SharedRouterCollection.Name)]
public sealed class ClientLibraryTests(RouterClusterFixture fixture) : ClientLibraryContract
{
    protected override IPEndPoint Resp => fixture.Cluster.Resp;
}
