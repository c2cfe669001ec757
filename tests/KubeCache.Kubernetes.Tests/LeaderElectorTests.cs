using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using KubeCache.Kubernetes.Tests.Support;

namespace KubeCache.Kubernetes.Tests;

public sealed partial class LeaderElectorTests
{
    [GeneratedRegex("""
        "renewTime":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z"
        """)]
    private static partial Regex MicroTimeRenew();

    private sealed class Candidate : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();

        public required ScriptedApiServer Server { get; init; }

        public required LeaseServer Leases { get; init; }

        public required IKubernetes Client { get; init; }

        public required LeaderElector Elector { get; init; }

        public Task Run { get; private set; } = Task.CompletedTask;

        public ConcurrentQueue<string> Log { get; } = new();

        public CancellationToken LeadingToken { get; private set; }

        public static async Task<Candidate> StartAsync(LeaseServer leases, TimeProvider? time = null, TimeSpan? duration = null, TimeSpan? deadline = null,
            TimeSpan? retry = null)
        {
            ScriptedApiServer server = await ScriptedApiServer.StartAsync(leases.Handle);
            IKubernetes client = TestClients.For(server.Uri);
            var elector = new LeaderElector(client, new LeaderElectionOptions
            {
                LeaseName = "leader",
                LeaseNamespace = "ns1",
                Identity = "me",
                LeaseDuration = duration ?? TimeSpan.FromSeconds(15),
                RenewDeadline = deadline ?? TimeSpan.FromSeconds(10),
                RetryPeriod = retry ?? TimeSpan.FromMilliseconds(50),
                TimeProvider = time ?? TimeProvider.System,
            });
            var self = new Candidate { Server = server, Leases = leases, Client = client, Elector = elector };
            elector.StartedLeading += token =>
            {
                self.LeadingToken = token;
                self.Log.Enqueue("started");
            };
            elector.StoppedLeading += () => self.Log.Enqueue("stopped");
            elector.NewLeader += holder => self.Log.Enqueue("leader " + holder);
            self.Run = elector.RunAsync(self._stop.Token);
            return self;
        }

        public int Gets => Server.Requests.Count(r => r.Method == "GET");

        public Task StopAsync()
        {
            _stop.Cancel();
            return Run.WaitAsync(TimeSpan.FromSeconds(10));
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            Client.Dispose();
            await Server.DisposeAsync();
            _stop.Dispose();
        }
    }

    [Fact]
    public void Options_Defaults_AreClientGosDefaults()
    {
        var options = new LeaderElectionOptions { LeaseName = "l", LeaseNamespace = "n", Identity = "i" };

        Assert.Equal((15, 10, 2), ((int)options.LeaseDuration.TotalSeconds, (int)options.RenewDeadline.TotalSeconds, (int)options.RetryPeriod.TotalSeconds));
        Assert.True(options.ReleaseOnCancel);
    }

    [Theory]
    [InlineData(10, 10, 2)]
    [InlineData(15, 10, 9)]
    [InlineData(15, 10, 0)]
    public void Constructor_TimingsOutOfOrder_Throws(int duration, int deadline, int retry)
    {
        using IKubernetes client = TestClients.For(new Uri("http://127.0.0.1:1"));
        var options = new LeaderElectionOptions
        {
            LeaseName = "l",
            LeaseNamespace = "n",
            Identity = "i",
            LeaseDuration = TimeSpan.FromSeconds(duration),
            RenewDeadline = TimeSpan.FromSeconds(deadline),
            RetryPeriod = TimeSpan.FromSeconds(retry),
        };

        Assert.Throws<ArgumentOutOfRangeException>(() => new LeaderElector(client, options));
    }

    [Fact]
    public async Task Run_NoLease_CreatesItAndLeads()
    {
        await using Candidate c = await Candidate.StartAsync(new LeaseServer());

        await Eventually.TrueAsync(() => c.Elector.IsLeader, "the candidate leads");

        V1LeaseSpec spec = c.Leases.Current!.Spec!;
        Assert.Equal("me", spec.HolderIdentity);
        Assert.Equal(15, spec.LeaseDurationSeconds);
        Assert.Equal(0, spec.LeaseTransitions);
        Assert.Matches(MicroTimeRenew(), c.Leases.Writes.First());
        Assert.Equal(["leader me", "started"], c.Log.Take(2));
        Assert.Equal("me", c.Elector.Leader);
    }

    [Fact]
    public async Task Run_Leading_RenewsAndKeepsAcquireTime()
    {
        await using Candidate c = await Candidate.StartAsync(new LeaseServer());
        await Eventually.TrueAsync(() => c.Elector.IsLeader, "the candidate leads");
        V1LeaseSpec first = c.Leases.Current!.Spec!;

        await Eventually.TrueAsync(() => c.Leases.Current!.Spec!.RenewTime > first.RenewTime, "the lease is renewed");

        V1LeaseSpec renewed = c.Leases.Current!.Spec!;
        Assert.Equal(first.AcquireTime, renewed.AcquireTime);
        Assert.Equal(0, renewed.LeaseTransitions);
        Assert.Equal("me", renewed.HolderIdentity);
        Assert.Single(c.Log, e => e == "started");
    }

    [Fact]
    public async Task Run_OtherHoldsLease_TakesOverOnlyAfterLeaseDurationOnLocalClock()
    {
        var leases = new LeaseServer();
        // The holder's timestamps are ancient: only how long we watch the record unchanged counts.
        var ancient = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        leases.Put(new V1LeaseSpec { HolderIdentity = "other", LeaseDurationSeconds = 15, AcquireTime = ancient, RenewTime = ancient, LeaseTransitions = 3 });
        var clock = new ShiftableClock();
        await using Candidate c = await Candidate.StartAsync(leases, clock);

        await Eventually.TrueAsync(() => c.Gets >= 3, "the candidate has looked a few times");
        Assert.False(c.Elector.IsLeader);
        Assert.Empty(leases.Writes);
        Assert.Equal("other", c.Elector.Leader);

        clock.Advance(TimeSpan.FromSeconds(16));
        await Eventually.TrueAsync(() => c.Elector.IsLeader, "the candidate takes over");

        V1LeaseSpec spec = leases.Current!.Spec!;
        Assert.Equal("me", spec.HolderIdentity);
        Assert.Equal(4, spec.LeaseTransitions);
        Assert.True(spec.AcquireTime > ancient);
        Assert.Equal(["leader other", "leader me", "started"], c.Log.Take(3));
    }

    [Fact]
    public async Task Run_LosesRaceWithConflict_DoesNotLead()
    {
        var leases = new LeaseServer();
        leases.Put(new V1LeaseSpec { HolderIdentity = "", LeaseDurationSeconds = 1, LeaseTransitions = 1 });
        int puts = 0;
        leases.Intercept = (req, store) =>
        {
            if (req.Method != "PUT" || Interlocked.Increment(ref puts) > 1)
            {
                return null;
            }
            // A rival's write lands between our read and our write.
            store.Put(new V1LeaseSpec { HolderIdentity = "rival", LeaseDurationSeconds = 15, LeaseTransitions = 2 });
            return (409, Reply.StatusJson(409, "Conflict", "the object has been modified"));
        };
        await using Candidate c = await Candidate.StartAsync(leases);

        await Eventually.TrueAsync(() => c.Gets >= 4, "the candidate has retried");

        Assert.False(c.Elector.IsLeader);
        Assert.DoesNotContain("started", c.Log);
        Assert.Equal("rival", leases.Current!.Spec!.HolderIdentity);
        Assert.Equal(1, puts);
    }

    [Fact]
    public async Task Run_Cancelled_ReleasesLease()
    {
        await using Candidate c = await Candidate.StartAsync(new LeaseServer());
        await Eventually.TrueAsync(() => c.Elector.IsLeader, "the candidate leads");
        CancellationToken leading = c.LeadingToken;

        await c.StopAsync();

        V1LeaseSpec spec = c.Leases.Current!.Spec!;
        Assert.Equal("", spec.HolderIdentity);
        Assert.Equal(1, spec.LeaseDurationSeconds);
        Assert.Equal(0, spec.LeaseTransitions);
        Assert.True(leading.IsCancellationRequested);
        Assert.Equal("stopped", c.Log.Last(e => e is "started" or "stopped"));
        Assert.False(c.Elector.IsLeader);
    }

    [Fact]
    public async Task Run_CancelledAfterARenewalItDidNotSeeLanded_StillReleasesLease()
    {
        // A renewal cancelled in flight can still be written: the candidate's copy is then a
        // version behind, and a release sent with it got 409 and left the lease held.
        await using Candidate c = await Candidate.StartAsync(new LeaseServer(), duration: TimeSpan.FromSeconds(60),
            deadline: TimeSpan.FromSeconds(40), retry: TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(() => c.Elector.IsLeader, "the candidate leads");
        V1LeaseSpec renewed = c.Leases.Current!.Spec!;
        renewed.RenewTime = DateTime.UtcNow;
        c.Leases.Put(renewed);

        await c.StopAsync();

        Assert.Equal("", c.Leases.Current!.Spec!.HolderIdentity);
    }

    [Fact]
    public async Task Run_RenewalsFailPastDeadline_StopsLeadingThenContendsAgain()
    {
        var leases = new LeaseServer();
        await using Candidate c = await Candidate.StartAsync(leases, duration: TimeSpan.FromSeconds(2), deadline: TimeSpan.FromMilliseconds(500),
            retry: TimeSpan.FromMilliseconds(100));
        await Eventually.TrueAsync(() => c.Elector.IsLeader, "the candidate leads");
        CancellationToken leading = c.LeadingToken;

        leases.Intercept = (_, _) => (500, Reply.StatusJson(500, "InternalError", "etcd unavailable"));
        await Eventually.TrueAsync(() => c.Log.Contains("stopped"), "the leader steps down");
        Assert.True(leading.IsCancellationRequested);
        Assert.False(c.Elector.IsLeader);

        leases.Intercept = null;
        await Eventually.TrueAsync(() => c.Log.Count(e => e == "started") == 2, "the candidate leads again");
        Assert.Equal(0, leases.Current!.Spec!.LeaseTransitions);
    }
}
