using System.Net;

using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Http;

/// <summary>The key API's contract (<see cref="KeyApiContract"/>) held against a node, and what only a node's limits add to it.</summary>
[Collection(HttpNodeCollection.Name)]
public sealed class KeyApiContractTests(NodeFixture fixture) : KeyApiContract
{
    private readonly TestNode _node = fixture.Node;

    protected override KeyApiClient Api => _node;

    [Fact]
    public async Task PutGet_ValueOfExactlyMaxValueBytes_RoundTrips()
    {
        string key = Guid.NewGuid().ToString();
        string value = new('x', _node.Server.Options.MaxValueBytes);

        (await _node.PutAsync(key, value)).Is(HttpStatusCode.OK, Reply.PutOk);

        Assert.Equal(value, await _node.GetValueAsync(key));
    }
}
