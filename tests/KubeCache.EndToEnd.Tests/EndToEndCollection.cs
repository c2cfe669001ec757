namespace KubeCache.EndToEnd.Tests;

/// <summary>
/// Every test here starts many processes (nodes, routers, operators, Prometheus) on a machine
/// with two cores, and the pods share the loopback addresses 127.0.0.10 and up: one at a time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EndToEndCollection
{
    public const string Name = "EndToEnd";
}
