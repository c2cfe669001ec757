using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Http;

/// <summary>One node with default options shared by the tests of <see cref="HttpNodeCollection"/>.</summary>
public sealed class NodeFixture : IAsyncLifetime
{
    private TestNode? _node;

    public TestNode Node => _node ?? throw new InvalidOperationException("The fixture is not initialized.");

    public async Task InitializeAsync() => _node = await TestNode.StartAsync();

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }
    }
}

/// <summary>Tests that share the fixture node run one at a time; each uses its own keys.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HttpNodeCollection : ICollectionFixture<NodeFixture>
{
    public const string Name = "HTTP node";
}
