using System.Diagnostics;
using System.Net;
using System.Text.Json;
using KubeCache.Local;
using KubeCache.Protocol;
using KubeCache.Router.Tests.Faults;
using KubeCache.Testing;

namespace KubeCache.Router.Tests.Local;

/// <summary>Local mode when a node process dies, and the admin API's refusals.</summary>
[Collection(LocalClusterCollection.Name)]
public sealed class LocalNodeFailureTests
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Kill9_OneNode_ItsKeysFailFastNamingItOthersServeAndARestartServesAgain()
    {
        await using LocalRouter router = await LocalRouter.StartAsync(nodes: 3);
        await using RespPipeline client = await RespPipeline.ConnectAsync(router.RespEndPoint);
        string[] keys = [.. Enumerable.Range(0, 3_000).Select(i => $"failure:{i}")];
        RespValue[] sets = await client.SendAsync([.. keys.Select(k => new[] { "SET", k, "v" })], ReplyTimeout);
        Assert.All(sets, r => Assert.Equal("OK", r.AsString()));

        LocalNode victim = router.Cluster.Nodes[1];
        string[] victimKeys = [.. keys.Where(k => FaultKeys.Owner(router, k) == victim.Name)];
        string[] otherKeys = [.. keys.Where(k => FaultKeys.Owner(router, k) != victim.Name)];
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Task<int> othersLoad = FaultKeys.ReadUntilAsync(router, otherKeys, "v", stop.Token);

        Process.GetProcessById(victim.ProcessId!.Value).Kill();
        await Poll.UntilAsync(() => Task.FromResult(!victim.IsRunning), "the node process to end");
        for (int i = 0; i < 20; i++)
        {
            var timer = Stopwatch.StartNew();
            RespValue reply = (await client.SendAsync([["GET", victimKeys[i]]], ReplyTimeout))[0];
            Assert.True(timer.Elapsed < TimeSpan.FromSeconds(1), $"a request for a dead node's key took {timer.ElapsedMilliseconds} ms");
            Assert.True(reply.IsError, $"GET {victimKeys[i]} answered {reply.AsString()} with its node dead");
            Assert.Contains(victim.Name, reply.AsString(), StringComparison.Ordinal);
        }

        await stop.CancelAsync();
        Assert.True(await othersLoad > 0, "no read of another node's key ran while the node was dead");

        LocalChange restart = await router.Cluster.RestartNodeAsync(victim.Name);
        Assert.Equal(LocalChangeStatus.Done, restart.Status);
        await Poll.UntilAsync(async () => !(await client.SendAsync([["SET", victimKeys[0], "again"]], ReplyTimeout))[0].IsError,
            "the restarted node to serve", TimeSpan.FromSeconds(30));
        Assert.Equal("again", (await client.SendAsync([["GET", victimKeys[0]]], ReplyTimeout))[0].AsString());
    }

    [Fact]
    public async Task Restart_WhileTheDeadProcessExitHandlerStillRuns_StartsTheNodeWithoutWaitingForIt()
    {
        // The soak run's kill -9 then restart: the restart came while the dead process's Exited
        // handler ran, disposed that process under the node's lock, and the handler waited for the
        // same lock; the restart request then hung for good. Here the handler is held open until
        // the restart is done, so a restart that waits for it never finishes.
        await using LocalRouter router = await LocalRouter.StartAsync(nodes: 1);
        LocalNode node = router.Cluster.Nodes[0];
        var handlerEntered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var restartDone = new ManualResetEventSlim();
        node.ExitedUnexpectedly += (_, _) =>
        {
            handlerEntered.TrySetResult();
            restartDone.Wait(TimeSpan.FromSeconds(30));
        };

        Process.GetProcessById(node.ProcessId!.Value).Kill();
        await handlerEntered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        try
        {
            // On another thread: a restart that blocks must not block this test's deadline.
            LocalChange restart = await Task.Run(() => router.Cluster.RestartNodeAsync(node.Name)).WaitAsync(TimeSpan.FromSeconds(20));
            Assert.Equal(LocalChangeStatus.Done, restart.Status);
            Assert.True(node.IsRunning, "the restarted node is not running");
        }
        finally
        {
            restartDone.Set();
        }
    }

    [Fact]
    public async Task Admin_RefusedChanges_AnswerJsonErrorsAndStopKillsTheNodes()
    {
        LocalRouter router = await LocalRouter.StartAsync(nodes: 1);
        int pid;
        await using (router)
        {
            using JsonDocument list = JsonDocument.Parse(await router.Http.GetStringAsync("/admin/nodes"));
            JsonElement node = Assert.Single(list.RootElement.EnumerateArray());
            Assert.Equal("node-1", node.GetProperty("name").GetString());
            Assert.Equal(0, node.GetProperty("items").GetInt64());

            await AssertErrorAsync(router, HttpMethod.Delete, "/admin/nodes/node-9", HttpStatusCode.NotFound, "node-9");
            await AssertErrorAsync(router, HttpMethod.Delete, "/admin/nodes/node-1", HttpStatusCode.BadRequest, "last node");
            await AssertErrorAsync(router, HttpMethod.Post, "/admin/nodes/node-1/restart", HttpStatusCode.Conflict, "running");
            await AssertErrorAsync(router, HttpMethod.Put, "/admin/nodes", HttpStatusCode.MethodNotAllowed, "POST");
            pid = router.Cluster.Nodes[0].ProcessId!.Value;
        }

        Assert.True(HasExited(pid), "the node process outlived the router");
    }

    private static async Task AssertErrorAsync(LocalRouter router, HttpMethod method, string path, HttpStatusCode status, string mentions)
    {
        using HttpResponseMessage response = await router.Http.SendAsync(new HttpRequestMessage(method, path));
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("ERROR", body.RootElement.GetProperty("status").GetString());
        Assert.Contains(mentions, body.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private static bool HasExited(int pid)
    {
        try
        {
            using Process process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }
}
