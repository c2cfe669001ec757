namespace KubeCache.Router.Tests.Support;

/// <summary>Waits for a condition by polling it against a deadline, instead of sleeping a guessed time.</summary>
internal static class Poll
{
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(10);

    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? deadline = null)
    {
        DateTime giveUp = DateTime.UtcNow + (deadline ?? DefaultDeadline);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < giveUp, $"Gave up waiting for {what} after {deadline ?? DefaultDeadline}.");
            await Task.Delay(10);
        }
    }
}
