using KubeCache.FakeApiServer.Auth;
using KubeCache.FakeApiServer.Discovery;
using KubeCache.FakeApiServer.Errors;
using KubeCache.FakeApiServer.OpenApi;
using KubeCache.FakeApiServer.Resources;
using Microsoft.AspNetCore.Http;

namespace KubeCache.FakeApiServer.Http;

/// <summary>
/// The one middleware: authentication, injected failures, discovery, OpenAPI and resource
/// requests, each authorized. Discovery and OpenAPI are open to every authenticated user, as
/// the system:discovery ClusterRole makes them.
/// </summary>
internal sealed class ApiDispatcher(ResourceRegistry registry, ResourceHandlers handlers, FailureInjection failures, AccessControl access)
{
    public async Task HandleAsync(HttpContext context)
    {
        try
        {
            var user = access.Authenticate(context);
            if (failures.Match(context.Request) is { } injected)
            {
                throw injected;
            }
            await RouteAsync(context, user).ConfigureAwait(false);
        }
        catch (ApiException e) when (!context.Response.HasStarted)
        {
            if (e.Code == 403)
            {
                access.Denials.Enqueue(e.Message);
            }
            await Responses.WriteAsync(context, e.Code, e.ToStatus()).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away (watches end this way).
        }
    }

    private Task RouteAsync(HttpContext context, UserInfo user)
    {
        var path = context.Request.Path.Value ?? "/";
        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        var get = HttpMethods.IsGet(context.Request.Method);
        switch (path.TrimEnd('/'))
        {
            case "/version" when get:
                return Responses.WriteAsync(context, 200, DiscoveryDocuments.Version());
            case "/healthz" or "/readyz" or "/livez" when get:
                context.Response.ContentType = "text/plain";
                return context.Response.WriteAsync("ok");
            case "/api" when get:
                return Responses.WriteAsync(context, 200, DiscoveryDocuments.CoreVersions(context.Request.Host.Value ?? ""));
            case "/apis" when get:
                return Responses.WriteAsync(context, 200, DiscoveryDocuments.Groups(registry));
            case "/openapi/v2" when get:
                return Responses.WriteAsync(context, 200, OpenApiDocuments.V2(registry));
            case "/openapi/v3" when get:
                return Responses.WriteAsync(context, 200, OpenApiDocuments.V3Index(registry));
        }
        if (segments.Length >= 3 && segments[0] == "openapi" && segments[1] == "v3" && get)
        {
            var gv = string.Join('/', segments[2..]);
            return Responses.WriteAsync(context, 200, OpenApiDocuments.V3GroupVersion(registry, gv) ?? throw ApiErrors.PathNotFound());
        }
        if (segments.Length >= 2 && segments[0] == "api")
        {
            return Resource(context, user, "", segments[1], segments[2..]);
        }
        if (segments.Length >= 2 && segments[0] == "apis")
        {
            if (segments.Length == 2 && get)
            {
                return Responses.WriteAsync(context, 200, DiscoveryDocuments.Group(registry, segments[1]) ?? throw ApiErrors.PathNotFound());
            }
            if (segments.Length >= 3)
            {
                return Resource(context, user, segments[1], segments[2], segments[3..]);
            }
        }
        throw ApiErrors.PathNotFound();
    }

    private Task Resource(HttpContext context, UserInfo user, string group, string version, string[] rest)
    {
        if (rest.Length == 0)
        {
            return HttpMethods.IsGet(context.Request.Method)
                ? Responses.WriteAsync(context, 200, DiscoveryDocuments.ResourceList(registry, group, version) ?? throw ApiErrors.PathNotFound())
                : throw ApiErrors.MethodNotAllowed();
        }
        var watchPath = rest[0] == "watch";
        var request = ApiRequest.Parse(context, user, registry, group, version, watchPath ? rest[1..] : rest, watchPath,
            attributes => access.Require(user, attributes));
        return handlers.HandleAsync(request, watchPath);
    }
}
