using System.Text;
using KubeCache.HttpContract;
using KubeCache.Security;
using KubeCache.Security.Keys;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace KubeCache.Hosting.Auth;

/// <summary>
/// Middleware that lets a request through only with a valid key: <c>Authorization: Bearer</c>,
/// <c>X-API-Key</c>, or (for existing clients; it ends up in access logs) <c>?api_key=</c>.
/// Probes stay open (kubelet cannot send a Secret), and so does <c>/metrics</c> unless
/// --auth-metrics is set. A missing or wrong key gets 401 with <c>WWW-Authenticate: Bearer</c>;
/// an address over the failure limit gets 429.
/// </summary>
public sealed class HttpKeyAuthentication(ApiKeyAuthenticator authenticator, SecurityOptions options)
{
    /// <summary>Paths served without a key: health probes and the preStop hook, which kubelet calls without credentials.</summary>
    private static readonly HashSet<string> OpenPaths = new(StringComparer.Ordinal) { "/health", "/healthz", "/readyz", "/cluster/prestop" };

    /// <summary>Runs ahead of <paramref name="next"/>; when authentication is off it is <paramref name="next"/> itself.</summary>
    public RequestDelegate Wrap(RequestDelegate next) => authenticator.Enabled
        ? context => IsOpen(context.Request.Path.Value) ? next(context) : CheckAsync(context, next)
        : next;

    private bool IsOpen(string? path) =>
        path is not null && (OpenPaths.Contains(path) || (path == "/metrics" && !options.AuthMetrics));

    private Task CheckAsync(HttpContext context, RequestDelegate next)
    {
        string? key = PresentedKey(context.Request);
        switch (authenticator.Check(key is null ? default : Encoding.UTF8.GetBytes(key), context.Connection.RemoteIpAddress, "http"))
        {
            case AuthResult.Accepted:
                return next(context);
            case AuthResult.Limited:
                context.Response.Headers.RetryAfter = ((int)Math.Ceiling(authenticator.LimitWindow.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                HttpReplies.WriteError(context, StatusCodes.Status429TooManyRequests, "Too many failed authentication attempts from this address; wait and retry with a valid key.");
                return Task.CompletedTask;
            default:
                context.Response.Headers.WWWAuthenticate = "Bearer";
                HttpReplies.WriteError(context, StatusCodes.Status401Unauthorized, key is null
                    ? "Missing API key: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'."
                    : "Invalid API key.");
                return Task.CompletedTask;
        }
    }

    /// <summary>The key from the first place that has one, or null.</summary>
    internal static string? PresentedKey(HttpRequest request)
    {
        StringValues authorization = request.Headers.Authorization;
        if (authorization.Count == 1 && authorization[0] is { } value && value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return value["Bearer ".Length..].Trim();
        }

        if (request.Headers.TryGetValue("X-API-Key", out StringValues header) && header.Count == 1)
        {
            return header[0];
        }

        return request.Query.TryGetValue("api_key", out StringValues query) && query.Count == 1 ? query[0] : null;
    }
}
