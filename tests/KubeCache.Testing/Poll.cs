namespace KubeCache.Testing;

/// <summary>Waits for a condition by polling it against a deadline, instead of sleeping a guessed time.</summary>
public static class Poll
{
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>Polls <paramref name="condition"/> every <paramref name="interval"/> (default 20 ms) until it holds; fails the test at the deadline (default 10 s).</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? deadline = null, TimeSpan? interval = null)
    {
        DateTime giveUp = DateTime.UtcNow + (deadline ?? DefaultDeadline);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < giveUp, $"Gave up waiting for {what} after {deadline ?? DefaultDeadline}.");
            await Task.Delay(interval ?? DefaultInterval);
        }
    }

    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? deadline = null, TimeSpan? interval = null) =>
        UntilAsync(() => Task.FromResult(condition()), what, deadline, interval);
}
