using KubeCache.Testing;


namespace KubeCache.Router.Tests.Support;

/// <summary>Tests that share one node; their keys are unique, so they only need not to run at once to keep timing sane on 2 cores.</summary>
[CollectionDefinition(Name)]
public sealed class SharedNodeCollection : ICollectionFixture<NodeFixture>
{
    public const string Name = "Router shared node";
}
