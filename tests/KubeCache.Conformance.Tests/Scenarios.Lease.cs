using k8s;
using k8s.Models;
using KubeCache.Kubernetes;
using KubeCache.Testing;

namespace KubeCache.Conformance.Tests;

public abstract partial class Scenarios
{
    private static readonly TimeSpan ElectionDeadline = TimeSpan.FromSeconds(30);

    // Half the lease: a takeover this soon is the release on cancel, not the expiry of a silent holder.
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan TakeoverDeadline = LeaseDuration / 2;

    [SkippableFact]
    public async Task Lease_TwoCandidates_OneLeadsAndTheOtherTakesOverWhenItReleases()
    {
        string ns = await NamespaceAsync();
        using var stopA = new CancellationTokenSource();
        using var stopB = new CancellationTokenSource();
        LeaderElector a = Elector(ns, "a");
        LeaderElector b = Elector(ns, "b");
        Task runA = a.RunAsync(stopA.Token);
        Task runB = Task.CompletedTask;
        try
        {
            await Poll.UntilAsync(() => a.IsLeader, "a to lead", ElectionDeadline);
            runB = b.RunAsync(stopB.Token);
            await Poll.UntilAsync(() => b.Leader == "a", "b to see a lead", ElectionDeadline);
            Assert.False(b.IsLeader);
            Assert.Equal("a", (await ReadLeaseAsync(ns)).Spec.HolderIdentity);

            await stopA.CancelAsync();
            await runA.WaitAsync(ElectionDeadline);
            await Poll.UntilAsync(() => b.IsLeader, "b to take over", TakeoverDeadline);

            V1Lease lease = await ReadLeaseAsync(ns);
            Assert.Equal("b", lease.Spec.HolderIdentity);
            Assert.Equal(1, lease.Spec.LeaseTransitions);
            await stopB.CancelAsync();
            await runB.WaitAsync(ElectionDeadline);
            Assert.Equal("", (await ReadLeaseAsync(ns)).Spec.HolderIdentity ?? "");
        }
        finally
        {
            // A failed step must not leave a candidate renewing for the rest of the run.
            await stopA.CancelAsync();
            await stopB.CancelAsync();
            await Task.WhenAll(runA, runB).WaitAsync(ElectionDeadline);
        }
    }

    private LeaderElector Elector(string ns, string identity) => new(Admin, new LeaderElectionOptions
    {
        LeaseName = "leader",
        LeaseNamespace = ns,
        Identity = identity,
        LeaseDuration = LeaseDuration,
        RenewDeadline = TimeSpan.FromSeconds(3),
        RetryPeriod = TimeSpan.FromMilliseconds(500),
    });

    private Task<V1Lease> ReadLeaseAsync(string ns) => Admin.CoordinationV1.ReadNamespacedLeaseAsync("leader", ns);
}
