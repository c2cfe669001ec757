using System.Net;
using KubeCache.CacheNode.Tests.Resp.Support;
using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Resp;

/// <summary>Real client libraries (<see cref="ClientLibraryContract"/>) against a node.</summary>
[Collection(SharedNodeCollection.Name)]
public sealed class ClientLibraryTests(NodeFixture fixture) : ClientLibraryContract
{
    protected override IPEndPoint Resp => fixture.Resp;
}
