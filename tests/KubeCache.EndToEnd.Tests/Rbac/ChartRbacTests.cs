using System.Text.Json.Nodes;
using KubeCache.EndToEnd.Tests.Scaling;
using KubeCache.EndToEnd.Tests.Support;
using Xunit.Abstractions;

namespace KubeCache.EndToEnd.Tests.Rbac;

/// <summary>
/// The fake API server authorizes with RBAC, every process authenticates as its service
/// account: the operator with exactly the chart's roles, nodes and routers with the Role the
/// operator creates for the cluster. One cluster brought to Ready serves the per-process checks.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ChartRbacTests(ChartRbacTests.ReadyCluster cluster, ITestOutputHelper output) : IClassFixture<ChartRbacTests.ReadyCluster>
{
    private const string OperatorUser = "system:serviceaccount:default:kvcache-operator";
    private const string PodUser = "system:serviceaccount:default:demo";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);

    [Fact]
    public void Operator_ChartGrants_SufficeToBringTheClusterToReady()
    {
        AssertAuthorized(OperatorUser);
    }

    [Fact]
    public void Node_ClusterRole_SufficesToFollowTheRing()
    {
        AssertAuthorized(PodUser);
        Assert.Equal(3, ReadyPods(routers: false).Count);
    }

    [Fact]
    public void Router_ClusterRole_SufficesToFollowTheRing()
    {
        AssertAuthorized(PodUser);
        Assert.NotEmpty(ReadyPods(routers: true));
    }

    private void AssertAuthorized(string user)
    {
        KubeCacheHarness harness = cluster.Harness ?? throw new InvalidOperationException("the cluster did not start", cluster.Failure);
        output.WriteLine($"users: {string.Join(", ", harness.Server.Users)}");
        Assert.Contains(user, harness.Server.Users);
        Assert.Empty(harness.Server.Denials);
    }

    /// <summary>The Ready router pods (<c>demo-router-…</c>) or node pods (the others).</summary>
    private List<JsonObject> ReadyPods(bool routers) =>
        [.. cluster.Harness!.Server.List("", "pods", KubeCacheHarness.Namespace)
            .Where(p => p.Name().StartsWith("demo-router-", StringComparison.Ordinal) == routers && p.Condition("Ready") == "True")];

    /// <summary>examples/kvcluster.yaml applied with the chart's RBAC in force, Ready with 3 members and a Ready router.</summary>
    public sealed class ReadyCluster : IAsyncLifetime
    {
        internal KubeCacheHarness? Harness { get; private set; }

        public Exception? Failure { get; private set; }

        public async Task InitializeAsync()
        {
            Harness = await KubeCacheHarness.StartAsync("operator-0");
            try
            {
                await Harness.ApplyExampleAsync();
                await Harness.WaitReadyAsync(3, 0, DateTimeOffset.MinValue, Bound);
                await Harness.RouterAsync(Bound);
            }
            catch (Exception e)
            {
                Failure = new InvalidOperationException(e.Message + "\n" + Harness.Describe(), e);
                await Harness.DisposeAsync();
                Harness = null;
            }
        }

        public async Task DisposeAsync()
        {
            if (Harness is not null)
            {
                await Harness.DisposeAsync();
            }
        }
    }
}
