using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KubeCache.Examples.RateLimiter;
using Microsoft.Extensions.Time.Testing;

namespace KubeCache.Testing;

/// <summary>
/// examples/rate-limiter against a front that speaks RESP, driven over HTTP. The limiters read a
/// fake clock that the tests move, so a window passes without waiting; the counters live in
/// KubeCache with real expiries far longer than a test.
/// </summary>
public abstract class RateLimiterContract
{
    private const int WindowSeconds = 600;

    /// <summary>A window boundary (midnights are multiples of 600 s since the Unix epoch).</summary>
    private static readonly DateTimeOffset s_windowStart = new(2026, 12, 5, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The RESP endpoint of the front under test.</summary>
    protected abstract IPEndPoint Resp { get; }

    [Fact]
    public async Task FixedWindow_LimitReached_TooManyRequestsUntilTheWindowPasses()
    {
        var clock = new FakeTimeProvider(s_windowStart);
        await using LoopbackApp app = await StartAsync(clock, limit: 3);
        string client = Keys.Unique("fixed");

        for (int i = 0; i < 3; i++)
        {
            await AssertAllowedAsync(app, "/fixed", client);
        }

        await AssertRefusedAsync(app, "/fixed", client, retryAfter: WindowSeconds);
        await AssertAllowedAsync(app, "/fixed", Keys.Unique("other-client"));
        clock.Advance(TimeSpan.FromSeconds(WindowSeconds - 1));
        await AssertRefusedAsync(app, "/fixed", client, retryAfter: 1);
        clock.Advance(TimeSpan.FromSeconds(1));
        await AssertAllowedAsync(app, "/fixed", client);
    }

    [Fact]
    public async Task SlidingWindow_LimitReached_AllowedAgainWhenThePreviousWindowWeighsLess()
    {
        var clock = new FakeTimeProvider(s_windowStart);
        await using LoopbackApp app = await StartAsync(clock, limit: 4);
        string client = Keys.Unique("sliding");

        for (int i = 0; i < 4; i++)
        {
            await AssertAllowedAsync(app, "/sliding", client);
        }

        // 4 in this window: one more fits once 3/4 of the next window is still to come (4 × 3/4 + 1 = 4).
        await AssertRefusedAsync(app, "/sliding", client, retryAfter: WindowSeconds + (WindowSeconds / 4));
        clock.Advance(TimeSpan.FromSeconds(WindowSeconds + (WindowSeconds / 4)));
        await AssertAllowedAsync(app, "/sliding", client);

        // 4 × 3/4 + 1 + 1 > 4: the next fits once half of the window is left (4 × 1/2 + 2 = 4).
        await AssertRefusedAsync(app, "/sliding", client, retryAfter: WindowSeconds / 4);
        clock.Advance(TimeSpan.FromSeconds((WindowSeconds / 4) - 1));
        await AssertRefusedAsync(app, "/sliding", client, retryAfter: 1);
        clock.Advance(TimeSpan.FromSeconds(1));
        await AssertAllowedAsync(app, "/sliding", client);
    }

    [Fact]
    public async Task ClientId_LongerThanTheLimit_BadRequest()
    {
        await using LoopbackApp app = await StartAsync(new FakeTimeProvider(s_windowStart), limit: 1);
        using HttpResponseMessage response = await SendAsync(app, "/fixed", new string('c', 129));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("X-Client-Id is longer than 128 characters.", await MessageAsync(response));
    }

    private async Task<LoopbackApp> StartAsync(FakeTimeProvider clock, int limit) =>
        await LoopbackApp.StartAsync(RateLimiterApp.Build(
        [
            $"--RateLimiter:Redis={Resp.Address}:{Resp.Port}",
            $"--RateLimiter:FixedWindow:Limit={limit}",
            $"--RateLimiter:FixedWindow:WindowSeconds={WindowSeconds}",
            $"--RateLimiter:SlidingWindow:Limit={limit}",
            $"--RateLimiter:SlidingWindow:WindowSeconds={WindowSeconds}",
            "--Logging:LogLevel:Default=Warning",
        ], clock));

    private static async Task AssertAllowedAsync(LoopbackApp app, string path, string client)
    {
        using HttpResponseMessage response = await SendAsync(app, path, client);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} for {client}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task AssertRefusedAsync(LoopbackApp app, string path, string client, int retryAfter)
    {
        using HttpResponseMessage response = await SendAsync(app, path, client);
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(retryAfter), response.Headers.RetryAfter?.Delta);
        Assert.EndsWith($"retry after {retryAfter} s.", await MessageAsync(response), StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> SendAsync(LoopbackApp app, string path, string client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Client-Id", client);
        return await app.Client.SendAsync(request);
    }

    private static async Task<string?> MessageAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetString();
}
