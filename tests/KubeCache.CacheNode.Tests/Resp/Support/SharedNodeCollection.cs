using KubeCache.Testing;


namespace KubeCache.CacheNode.Tests.Resp.Support;

/// <summary>Tests that share one node run one at a time, so none sees another's FLUSHALL or keys mid-test.</summary>
[CollectionDefinition(Name)]
public sealed class SharedNodeCollection : ICollectionFixture<NodeFixture>
{
    public const string Name = "Resp shared node";
}
