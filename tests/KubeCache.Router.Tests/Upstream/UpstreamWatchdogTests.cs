using KubeCache.Protocol;
using KubeCache.Router.Tests.Support;
using KubeCache.Router.Upstream;

namespace KubeCache.Router.Tests.Upstream;

/// <summary>
/// The connection's watchdog against a busy connection. Runs alone: it keeps both cores busy for
/// 3 s, which would delay the timers of timing-bound tests running beside it.
/// </summary>
[Collection(Name)]
public sealed class UpstreamWatchdogTests
{
    public const string Name = "Upstream watchdog race";

    [Fact]
    public async Task CheckTimeout_RacingTheWriteLoop_NeverThrows()
    {
        // Regression: the watchdog peeked the single-reader request queue while the write loop
        // took from it, and saw a half-taken slot (NullReferenceException on the timer thread,
        // which ended the router). Here the check runs back to back on its own thread while
        // requests stream through, so any shared state it reads is read mid-update many times.
        await using FakeNode node = FakeNode.Start(_ => FakeReply.Echo);
        await using UpstreamConnection connection = await UpstreamConnection.ConnectAsync("node-w", node.Address, TestOptions.Create());
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(3));

        Task watchdog = Task.Factory.StartNew(
            () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    connection.CheckTimeout();
                }
            },
            TaskCreationOptions.LongRunning);

        Task[] senders = [.. Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                Task<RespValue>[] burst = [.. Enumerable.Range(0, 32).Select(i => connection.SendAsync(Command.Of("ECHO", $"v{i}")).AsTask())];
                RespValue[] replies = await Task.WhenAll(burst);
                Command.AssertBulk("v31", replies[31]);
            }
        }))];

        await Task.WhenAll([watchdog, .. senders]);
        Assert.True(connection.IsAlive);
    }
}

[CollectionDefinition(UpstreamWatchdogTests.Name, DisableParallelization = true)]
public sealed class UpstreamWatchdogRaceCollection;
