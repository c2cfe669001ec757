using System.Net;
using System.Text;
using System.Text.Json;
using KubeCache.CacheNode.Storage;
using KubeCache.Testing;
using KubeCache.Topology;

namespace KubeCache.CacheNode.Tests.Cluster;

/// <summary>
/// GET /cluster/prestop, the pod's preStop hook: it holds while the node is still a ring member
/// (up to --prestop-leave-timeout) and while a handoff is in progress.
/// </summary>
public class PrestopTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Prestop_NoHandoff_AnswersOkAtOnce()
    {
        await using var node = await TestNode.StartAsync(o => o.PrestopTimeout = TimeSpan.FromMinutes(10));

        Reply reply = await node.GetAsync("/cluster/prestop");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        using JsonDocument json = JsonDocument.Parse(reply.Body);
        Assert.Equal("OK", json.RootElement.GetProperty("status").GetString());
        Assert.Equal("idle", json.RootElement.GetProperty("state").GetString());
        Assert.Equal(0, json.RootElement.GetProperty("keysLeft").GetInt64());
    }

    [Fact]
    public async Task Prestop_HandoffToUnreachableOwner_AnswersErrorAfterThePrestopTimeout()
    {
        await using var cluster = new ClusterNodes();
        await StartWithKeysAsync(cluster, TimeSpan.FromMilliseconds(500));
        await cluster.PublishAsync(Grown(cluster, ClusterNodes.MemberAt("gone", Ports.Free())));
        await WaitForRetryingAsync(cluster["a"]);

        Reply reply = await cluster["a"].GetAsync("/cluster/prestop");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, reply.Status);
        using JsonDocument json = JsonDocument.Parse(reply.Body);
        Assert.Equal("ERROR", json.RootElement.GetProperty("status").GetString());
        Assert.Equal("retrying", json.RootElement.GetProperty("state").GetString());
        Assert.True(json.RootElement.GetProperty("keysLeft").GetInt64() > 0, reply.Body);
        Assert.Contains("--prestop-timeout", json.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prestop_HandoffInProgress_WaitsAndAnswersOkOnceItFinishes()
    {
        await using var cluster = new ClusterNodes();
        await StartWithKeysAsync(cluster, TimeSpan.FromMinutes(5));
        int latePort = Ports.Free();
        await cluster.PublishAsync(Grown(cluster, ClusterNodes.MemberAt("late", latePort)));
        await WaitForRetryingAsync(cluster["a"]);

        Task<Reply> prestop = cluster["a"].GetAsync("/cluster/prestop");
        // Nothing can finish the handoff while its receiver is down, so the hook must still be waiting.
        await Task.Delay(300);
        Assert.False(prestop.IsCompleted, "preStop answered while the handoff was still in progress");
        await cluster.StartAsync("late", latePort);

        Reply reply = await prestop.WaitAsync(Deadline);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        using JsonDocument json = JsonDocument.Parse(reply.Body);
        Assert.Equal("OK", json.RootElement.GetProperty("status").GetString());
        Assert.Equal("done", json.RootElement.GetProperty("state").GetString());
        Assert.Equal(0, json.RootElement.GetProperty("keysLeft").GetInt64());
    }

    [Fact]
    public async Task Prestop_StillAMember_WaitsUntilARingWithoutItIsFinal()
    {
        await using var cluster = new ClusterNodes();
        await cluster.StartAsync("b");
        await cluster.StartAsync("a", configure: o => (o.PrestopTimeout, o.PrestopLeaveTimeout) = (TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5)));
        RingDocument alone = ConfigMapMembershipTests.Document(1, [cluster.Member("a")]);
        await cluster.PublishAsync(alone);
        await cluster.WaitForHandoffDoneAsync("a", 1, Deadline);
        for (int i = 0; i < 300; i++)
        {
            cluster["a"].Server.Store.Set(Encoding.UTF8.GetBytes($"key:{i}"), Encoding.UTF8.GetBytes($"value:{i}"));
        }

        Task<Reply> prestop = cluster["a"].GetAsync("/cluster/prestop");
        // Still a member, and no handoff runs: the hook must wait for the ring without it.
        await Task.Delay(300);
        Assert.False(prestop.IsCompleted, "preStop answered while the node was still a ring member");
        RingDocument without = ConfigMapMembershipTests.Document(2, [cluster.Member("b")], previous: alone);
        await cluster.PublishAsync(without);
        await cluster.WaitForHandoffDoneAsync("a", 2, Deadline);
        // Handed off, but the change is not final: the coordinator still asks this node.
        await Task.Delay(300);
        Assert.False(prestop.IsCompleted, "preStop answered before the ring change taking the node out was final");
        await cluster.PublishAsync(ConfigMapMembershipTests.Document(2, [cluster.Member("b")]));

        Reply reply = await prestop.WaitAsync(Deadline);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        using JsonDocument json = JsonDocument.Parse(reply.Body);
        Assert.Equal("done", json.RootElement.GetProperty("state").GetString());
        Assert.Equal(0, json.RootElement.GetProperty("keysLeft").GetInt64());
        Assert.All(Enumerable.Range(0, 300), i => Assert.Equal(StoreStatus.Ok, cluster["b"].Server.Store.Get(Encoding.UTF8.GetBytes($"key:{i}"), out _)));
    }

    [Fact]
    public async Task Prestop_StillAMemberAfterTheLeaveTimeout_AnswersErrorNamingIt()
    {
        await using var cluster = new ClusterNodes();
        await cluster.StartAsync("a", configure: o => o.PrestopLeaveTimeout = TimeSpan.FromMilliseconds(300));
        await cluster.PublishAsync(ConfigMapMembershipTests.Document(1, [cluster.Member("a")]));
        await cluster.WaitForHandoffDoneAsync("a", 1, Deadline);

        Reply reply = await cluster["a"].GetAsync("/cluster/prestop");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, reply.Status);
        using JsonDocument json = JsonDocument.Parse(reply.Body);
        Assert.Equal("ERROR", json.RootElement.GetProperty("status").GetString());
        Assert.Contains("--prestop-leave-timeout", json.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private static async Task StartWithKeysAsync(ClusterNodes cluster, TimeSpan prestopTimeout)
    {
        // "a" stays a member in these tests: only the handoff is waited for.
        await cluster.StartAsync("a", configure: o => (o.PrestopTimeout, o.PrestopLeaveTimeout) = (prestopTimeout, TimeSpan.Zero));
        await cluster.PublishAsync(ConfigMapMembershipTests.Document(1, [cluster.Member("a")]));
        await cluster.WaitForHandoffDoneAsync("a", 1, Deadline);
        for (int i = 0; i < 300; i++)
        {
            cluster["a"].Server.Store.Set(Encoding.UTF8.GetBytes($"key:{i}"), Encoding.UTF8.GetBytes($"value:{i}"));
        }
    }

    private static RingDocument Grown(ClusterNodes cluster, RingMember joining)
    {
        RingDocument first = ConfigMapMembershipTests.Document(1, [cluster.Member("a")]);
        return ConfigMapMembershipTests.Document(2, [cluster.Member("a"), joining], previous: first);
    }

    private static async Task WaitForRetryingAsync(TestNode node)
    {
        long until = Environment.TickCount64 + (long)Deadline.TotalMilliseconds;
        while (!(await node.GetAsync("/cluster/handoff")).Body.Contains("\"state\":\"retrying\"", StringComparison.Ordinal))
        {
            Assert.True(Environment.TickCount64 < until, "the handoff never started retrying");
            await Task.Delay(10);
        }
    }
}
