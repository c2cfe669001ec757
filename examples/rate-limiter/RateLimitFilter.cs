using System.Globalization;
using Microsoft.Extensions.Options;

namespace KubeCache.Examples.RateLimiter;

/// <summary>Runs the endpoint only when <typeparamref name="TLimiter"/> allows the client's request;
/// otherwise answers 429 with Retry-After.</summary>
public sealed class RateLimitFilter<TLimiter>(TLimiter limiter, IOptions<RateLimiterOptions> options) : IEndpointFilter
    where TLimiter : IWindowLimiter
{
    private readonly RateLimiterOptions _options = options.Value;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        HttpContext http = context.HttpContext;
        string? client = http.Request.Headers[_options.ClientHeader].FirstOrDefault();
        if (client?.Length > _options.ClientIdMaxLength)
        {
            return Results.BadRequest(new { status = "BadRequest", message = $"{_options.ClientHeader} is longer than {_options.ClientIdMaxLength} characters." });
        }

        client = string.IsNullOrEmpty(client) ? http.Connection.RemoteIpAddress?.ToString() ?? "unknown" : client;
        RateDecision decision = await limiter.AcquireAsync(client);
        if (decision.Allowed)
        {
            return await next(context);
        }

        http.Response.Headers.RetryAfter = decision.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        WindowLimit limit = limiter.Limit;
        return Results.Json(
            new { status = "TooManyRequests", message = $"At most {limit.Limit} requests per {limit.WindowSeconds} s; retry after {decision.RetryAfterSeconds} s." },
            statusCode: StatusCodes.Status429TooManyRequests);
    }
}
