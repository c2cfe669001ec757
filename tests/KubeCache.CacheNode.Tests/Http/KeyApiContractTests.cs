using System.Net;
using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Http;

/// <summary>The key API's contract (<see cref="KeyApiContract"/>) held against a node.</summary>
[Collection(HttpNodeCollection.Name)]
public sealed class KeyApiContractTests(NodeFixture fixture) : KeyApiContract
{
    protected override KeyApiClient Api => fixture.KeyApi;

    /// <summary>The node's HTTP port, which takes RESP too (the test node opens no RESP port of its own).</summary>
    protected override IPEndPoint Resp => fixture.Http;
}
