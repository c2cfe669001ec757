using KubeCache.Router.Hosting;
using KubeCache.Router.Http;

namespace KubeCache.Local;

/// <summary>A router whose route table <see cref="LocalCluster"/> feeds, with the nodes it starts on this machine and their admin API.</summary>
public static class LocalMode
{
    /// <param name="options">Validated again here, so a bad value fails before anything starts.</param>
    /// <param name="logging">Replaces the console logging (tests pass one that clears providers).</param>
    public static RouterServer Create(LocalOptions options, Action<ILoggingBuilder>? logging = null)
    {
        options.Validate();
        return RouterServer.Create(options, logging, services =>
        {
            services.AddSingleton(options);
            services.AddSingleton<LocalCluster>();
            services.AddHostedService(s => s.GetRequiredService<LocalCluster>());
            services.AddSingleton<IRouterEndpoints, LocalAdminEndpoints>();
        });
    }
}
