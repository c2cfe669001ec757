using KubeCache.ClientContract.Http;

namespace KubeCache.Router.Http;

/// <summary>Endpoints a router mode adds to the router's dispatch table (local mode's admin API).</summary>
public interface IRouterEndpoints
{
    IEnumerable<HttpEndpoint> Endpoints { get; }
}
