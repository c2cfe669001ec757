using System.Collections.Concurrent;
using KubeCache.FakeApiServer.Errors;
using Microsoft.AspNetCore.Http;

namespace KubeCache.FakeApiServer.Auth;

/// <summary>
/// Authentication by client certificate (over HTTPS) or bearer token and, when RBAC is on,
/// authorization of every resource request with the attributes the apiserver derives from it.
/// Refusals are kept for tests to inspect.
/// </summary>
internal sealed class AccessControl(TokenAuthenticator tokens, ClientCertificateAuthenticator? certificates, RbacAuthorizer? rbac)
{
    public TokenAuthenticator Tokens => tokens;

    /// <summary>Client certificates, when the server serves HTTPS.</summary>
    public ClientCertificateAuthenticator? Certificates => certificates;

    /// <summary>Every 403 answered (authorization and admission refusals), as the Status message the client received.</summary>
    public ConcurrentQueue<string> Denials { get; } = new();

    /// <summary>The names of the users that sent requests.</summary>
    public ConcurrentDictionary<string, bool> Users { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The request's user: its client certificate's when that is valid now, else its token's; 401
    /// when tokens are checked and neither is valid, as the apiserver's union of authenticators.
    /// </summary>
    public UserInfo Authenticate(HttpContext context)
    {
        var user = certificates?.Authenticate(context.Connection.ClientCertificate)
            ?? tokens.Authenticate(context.Request.Headers.Authorization.ToString())
            ?? throw ApiErrors.Unauthorized();
        Users.TryAdd(user.Name, true);
        return user;
    }

    /// <summary>Checks the request's attributes; 403 Forbidden when RBAC denies them.</summary>
    public void Require(UserInfo user, RequestAttributes attributes)
    {
        if (rbac is null)
        {
            return;
        }
        var (allowed, reason) = rbac.Authorize(user, attributes);
        if (!allowed)
        {
            throw ApiErrors.Forbidden(attributes, user.Name, reason);
        }
    }

    /// <summary>
    /// A resource request's attributes as the apiserver's request-info resolver derives them:
    /// the verb from the method (and watch), and for a list or watch limited by
    /// <c>fieldSelector=metadata.name=X</c> the name X, so rules with resourceNames can grant it.
    /// </summary>
    public static RequestAttributes Attributes(HttpRequest request, string group, string resource, string subresource, string? ns, string? name,
        bool watchPath)
    {
        var m = request.Method;
        var watch = watchPath || request.Query["watch"].ToString() is "true" or "1";
        var verb = m switch
        {
            _ when HttpMethods.IsGet(m) || HttpMethods.IsHead(m) => watch ? "watch" : name is null ? "list" : "get",
            _ when HttpMethods.IsPost(m) => "create",
            _ when HttpMethods.IsPut(m) => "update",
            _ when HttpMethods.IsPatch(m) => "patch",
            _ when HttpMethods.IsDelete(m) => name is null ? "deletecollection" : "delete",
            _ => m.ToLowerInvariant(),
        };
        if (name is null && verb is "list" or "watch" && request.Query["fieldSelector"].ToString() is { } selector
            && selector.StartsWith("metadata.name=", StringComparison.Ordinal) && !selector.Contains(',', StringComparison.Ordinal))
        {
            name = selector["metadata.name=".Length..];
        }
        return new RequestAttributes(verb, group, resource, subresource, ns ?? "", name ?? "");
    }
}
