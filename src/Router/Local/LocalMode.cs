using KubeCache.Router.Http;

namespace KubeCache.Router.Local;

/// <summary>Registers local mode with a router: pass <see cref="AddServices"/> as <c>RouterServer.Create</c>'s <c>configureServices</c>.</summary>
public static class LocalMode
{
    public static void AddServices(IServiceCollection services)
    {
        services.AddSingleton<LocalCluster>();
        services.AddHostedService(s => s.GetRequiredService<LocalCluster>());
        services.AddSingleton<IRouterEndpoints, LocalAdminEndpoints>();
    }
}
