using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Http;

/// <summary>Tests that share the fixture node run one at a time; each uses its own keys.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HttpNodeCollection : ICollectionFixture<NodeFixture>
{
    public const string Name = "HTTP node";
}
