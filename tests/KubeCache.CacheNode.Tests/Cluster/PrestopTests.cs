using System.Net;
using System.Text;
using System.Text.Json;
using KubeCache.Testing;
using KubeCache.Topology;

namespace KubeCache.CacheNode.Tests.Cluster;

/// <summary>GET /cluster/prestop, the pod's preStop hook: it holds while a handoff is in progress.</summary>
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

    private static async Task StartWithKeysAsync(ClusterNodes cluster, TimeSpan prestopTimeout)
    {
        await cluster.StartAsync("a", configure: o => o.PrestopTimeout = prestopTimeout);
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
