namespace KubeCache.Operator.Tests.Support;

/// <summary>Tests that run operators against fake API servers: one at a time, as they share loopback port 7171 ranges and the 2 cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OperatorCollection
{
    public const string Name = "Operator against the fake API server";
}
