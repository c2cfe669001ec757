using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Http;

/// <summary>The key API's contract (<see cref="KeyApiContract"/>) held against a node.</summary>
[Collection(HttpNodeCollection.Name)]
public sealed class KeyApiContractTests(NodeFixture fixture) : KeyApiContract
{
    protected override KeyApiClient Api => fixture.Node;
}
