using k8s.Models;
using KubeCache.Operator.Reconcile;
using KubeCache.Operator.Resources;
using KubeCache.Operator.Tests.Support;

namespace KubeCache.Operator.Tests.Reconcile;

/// <summary>The specs the operator refuses before changing any object, and the ones it accepts.</summary>
public class SpecProblemsTests
{
    private static KvCluster WithMemory(string limit, string? maxMemory = null, string? reserve = null) => TestClusters.Demo(s =>
    {
        s.Resources = new ResourceRequirements { Limits = new() { ["memory"] = limit } };
        s.MaxMemory = maxMemory;
        s.MemoryReserve = reserve;
    });

    /// <summary>Regression: a budget the container cannot hold crashed every node at start-up.</summary>
    [Fact]
    public void Find_MaxMemoryAboveWhatTheLimitHolds_NamesTheFieldTheLimitAndTheLargestThatFits()
    {
        string? problem = SpecProblems.Find(WithMemory("4Gi", maxMemory: "4gb"));

        Assert.NotNull(problem);
        Assert.StartsWith("spec.maxMemory does not fit spec.resources.limits.memory (4Gi)", problem, StringComparison.Ordinal);
        Assert.Contains("Lower --max-memory to 3640655872", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Find_ReserveAsLargeAsTheLimit_NamesTheReserve()
    {
        string? problem = SpecProblems.Find(WithMemory("64Mi", reserve: "64mb"));

        Assert.StartsWith("spec.memoryReserve does not fit", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("4Gi", "3gb", null)]
    [InlineData("4Gi", null, null)]
    [InlineData("256Mi", null, "32mb")]
    [InlineData("4G", "3000m", null)]
    public void Find_MemoryThatFits_IsAccepted(string limit, string? maxMemory, string? reserve)
    {
        Assert.Null(SpecProblems.Find(WithMemory(limit, maxMemory, reserve)));
    }

    [Fact]
    public void Find_NoMemoryLimit_LeavesMaxMemoryToTheNode()
    {
        Assert.Null(SpecProblems.Find(TestClusters.Demo(s => s.MaxMemory = "64gb")));
    }

    /// <summary>Regression: names a Service or the StatefulSet's pods cannot carry stuck the reconcile on a 422.</summary>
    [Theory]
    [InlineData("cache.v2")]
    [InlineData("1cache")]
    [InlineData("Cache")]
    [InlineData("cache-")]
    [InlineData("a2345678901234567890123456789012345678901234567890123")]
    public void Find_NameThatCannotNameTheClustersObjects_IsRefused(string name)
    {
        KvCluster cluster = TestClusters.Demo();
        cluster.Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "ns", Uid = TestClusters.Uid };

        Assert.StartsWith("metadata.name must have at most 52 characters", SpecProblems.Find(cluster), StringComparison.Ordinal);
    }

    [Fact]
    public void Find_NameOfTheLongestLength_IsAccepted()
    {
        KvCluster cluster = TestClusters.Demo();
        cluster.Metadata = new V1ObjectMeta { Name = "a2345678901234567890123456789012345678901234567890-2", NamespaceProperty = "ns", Uid = TestClusters.Uid };

        Assert.Null(SpecProblems.Find(cluster));
    }
}
