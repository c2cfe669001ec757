namespace KubeCache.Router.Http;

/// <summary>
/// A group of HTTP endpoints served by the router (the key API, local mode's admin API). Each is
/// asked in turn; the first that claims the request handles it.
/// </summary>
public interface IRouterEndpoints
{
    /// <summary>Handles the request and returns true when the path is one of this group's.</summary>
    bool TryHandle(HttpContext context, out Task handled);
}
