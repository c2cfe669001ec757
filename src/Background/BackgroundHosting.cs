using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace KubeCache.Background;

/// <summary>Registers a process's <see cref="BackgroundErrors"/>.</summary>
public static class BackgroundHosting
{
    /// <summary>
    /// Adds the process's one <see cref="BackgroundErrors"/>, counting on meter
    /// <paramref name="meterName"/>, with the faults <see cref="FaultInjection.EnvironmentVariable"/>
    /// names; a second call adds nothing.
    /// </summary>
    public static IServiceCollection AddBackgroundErrors(this IServiceCollection services, string meterName)
    {
        services.TryAddSingleton(s => new BackgroundErrors(
            s.GetRequiredService<IMeterFactory>(),
            meterName,
            s.GetRequiredService<ILoggerFactory>().CreateLogger("KubeCache.Background"),
            FaultInjection.FromEnvironment()));
        return services;
    }
}
