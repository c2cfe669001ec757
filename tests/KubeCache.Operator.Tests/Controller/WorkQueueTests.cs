using KubeCache.Operator.Controller;

namespace KubeCache.Operator.Tests.Controller;

public class WorkQueueTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Add_SameKeyTwiceWhileQueued_IsTakenOnce()
    {
        using var queue = new WorkQueue();
        queue.Add("ns/a");
        queue.Add("ns/a");
        queue.Add("ns/b");

        Assert.Equal(2, queue.Count);
        Assert.Equal("ns/a", await queue.TakeAsync(CancellationToken.None).WaitAsync(Timeout));
        Assert.Equal("ns/b", await queue.TakeAsync(CancellationToken.None).WaitAsync(Timeout));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task Add_KeyBeingProcessed_IsNotHandedOutUntilDone()
    {
        using var queue = new WorkQueue();
        queue.Add("ns/a");
        string key = await queue.TakeAsync(CancellationToken.None).WaitAsync(Timeout);

        queue.Add("ns/a");
        Task<string> second = queue.TakeAsync(CancellationToken.None);
        Assert.Equal(0, queue.Count);
        Assert.False(second.IsCompleted);

        queue.Done(key);
        Assert.Equal("ns/a", await second.WaitAsync(Timeout));
    }

    [Fact]
    public async Task Done_KeyNotAddedAgain_IsNotRequeued()
    {
        using var queue = new WorkQueue();
        queue.Add("ns/a");
        queue.Done(await queue.TakeAsync(CancellationToken.None).WaitAsync(Timeout));

        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task TakeAsync_ManyWorkers_NeverHoldTheSameKeyAtOnce()
    {
        using var queue = new WorkQueue();
        var holding = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        int overlaps = 0;
        int processed = 0;
        using var stop = new CancellationTokenSource(Timeout);
        async Task Worker()
        {
            while (Volatile.Read(ref processed) < 200)
            {
                string key;
                try
                {
                    key = await queue.TakeAsync(stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                if (!holding.TryAdd(key, 0))
                {
                    Interlocked.Increment(ref overlaps);
                }

                await Task.Yield();
                queue.Add(key); // a change arrives while the key is processed
                holding.TryRemove(key, out _);
                Interlocked.Increment(ref processed);
                queue.Done(key);
            }
        }

        queue.Add("ns/a");
        queue.Add("ns/b");
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(Worker)));
        queue.ShutDown();

        Assert.True(processed >= 200);
        Assert.Equal(0, overlaps);
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 10)]
    [InlineData(5, 80)]
    [InlineData(16, 163840)]
    [InlineData(17, 300000)]
    [InlineData(1000, 300000)]
    public void Backoff_NthFailure_DoublesFrom5MsUpTo5Minutes(int failures, int expectedMilliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), WorkQueue.Backoff(failures));
    }

    [Fact]
    public async Task AddRateLimited_RepeatedFailures_GrowDelayUntilForgotten()
    {
        using var queue = new WorkQueue();

        Assert.Equal(TimeSpan.FromMilliseconds(5), queue.AddRateLimited("ns/a"));
        Assert.Equal("ns/a", await queue.TakeAsync(CancellationToken.None).WaitAsync(Timeout));
        queue.Done("ns/a");
        Assert.Equal(TimeSpan.FromMilliseconds(10), queue.AddRateLimited("ns/a"));
        Assert.Equal(2, queue.Failures("ns/a"));

        queue.Forget("ns/a");
        Assert.Equal(0, queue.Failures("ns/a"));
        Assert.Equal(TimeSpan.FromMilliseconds(5), queue.AddRateLimited("ns/a"));
    }

    [Fact]
    public async Task AddAfter_Delay_QueuesTheKeyLater()
    {
        using var queue = new WorkQueue();
        queue.AddAfter("ns/a", TimeSpan.FromMilliseconds(50));

        Assert.Equal(0, queue.Count);
        Assert.Equal("ns/a", await queue.TakeAsync(CancellationToken.None).WaitAsync(Timeout));
    }

    [Fact]
    public async Task ShutDown_WaitingTaker_IsCancelled()
    {
        using var queue = new WorkQueue();
        Task<string> taking = queue.TakeAsync(CancellationToken.None);

        queue.ShutDown();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => taking.WaitAsync(Timeout));
    }
}
