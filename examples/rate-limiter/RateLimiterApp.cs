using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace KubeCache.Examples.RateLimiter;

/// <summary>The service: <c>GET /fixed</c> and <c>GET /sliding</c>, each limited per client by its limiter.</summary>
public static class RateLimiterApp
{
    /// <param name="args">Command-line arguments (configuration overrides, <c>--urls</c>).</param>
    /// <param name="clock">The limiters' clock; the system clock by default (tests move a manual one).</param>
    public static WebApplication Build(string[] args, TimeProvider? clock = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
        builder.Services.AddOptions<RateLimiterOptions>().BindConfiguration(RateLimiterOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<RateLimiterOptions>, RateLimiterOptionsValidator>();
        builder.Services.AddSingleton(clock ?? TimeProvider.System);
        // StackExchange.Redis with default options: only the endpoint comes from the settings.
        builder.Services.AddSingleton<IConnectionMultiplexer>(
            services => ConnectionMultiplexer.Connect(services.GetRequiredService<IOptions<RateLimiterOptions>>().Value.Redis));
        builder.Services.AddSingleton<FixedWindowLimiter>();
        builder.Services.AddSingleton<SlidingWindowLimiter>();

        WebApplication app = builder.Build();
        app.MapGet("/fixed", () => new { status = "OK", limiter = "fixed" })
            .AddEndpointFilter<RateLimitFilter<FixedWindowLimiter>>();
        app.MapGet("/sliding", () => new { status = "OK", limiter = "sliding" })
            .AddEndpointFilter<RateLimitFilter<SlidingWindowLimiter>>();
        return app;
    }
}
