namespace KubeCache.EndToEnd.Tests.Support;

/// <summary>Waits for a condition by polling it against a deadline, instead of sleeping a guessed time.</summary>
internal static class Poll
{
    /// <summary>Polls <paramref name="condition"/> every <paramref name="interval"/> (default 100 ms) until it holds; fails the test at the deadline.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan deadline, TimeSpan? interval = null)
    {
        DateTime giveUp = DateTime.UtcNow + deadline;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < giveUp, $"Gave up waiting for {what} after {deadline}.");
            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(100));
        }
    }

    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan deadline, TimeSpan? interval = null) =>
        UntilAsync(() => Task.FromResult(condition()), what, deadline, interval);
}
