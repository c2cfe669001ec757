using System.Diagnostics.Metrics;
using KubeCache.Background;
using KubeCache.Security.Keys;
using KubeCache.Security.Resp;
using KubeCache.Security.Tls;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KubeCache.Security;

/// <summary>The security services a server process (node, router) registers, in one place for both.</summary>
public static class SecurityHosting
{
    /// <summary>The log category of the security services.</summary>
    public const string LogCategory = "KubeCache.Security";

    /// <summary>
    /// Registers the key store, failure limiter, authenticator (counting failures on the meter
    /// <paramref name="meterName"/>), the RESP gate, the certificate source
    /// (when a certificate is configured) and the <see cref="PeerConnector"/>.
    /// </summary>
    public static void AddKubeCacheSecurity(this IServiceCollection services, SecurityOptions options, string meterName)
    {
        services.AddSingleton(options);
        services.AddBackgroundErrors(meterName);
        services.AddSingleton(s => new ApiKeyStore(options.AuthKeysFile, options.SecretsPollInterval, Logger(s), s.GetRequiredService<BackgroundErrors>()));
        services.AddSingleton(s => new AuthFailureLimiter(options.AuthMaxFailures, options.AuthFailureWindow, TimeProvider.System));
        services.AddSingleton(s => new ApiKeyAuthenticator(
            s.GetRequiredService<ApiKeyStore>(), s.GetRequiredService<AuthFailureLimiter>(), s.GetRequiredService<IMeterFactory>().Create(meterName)));
        services.AddSingleton<RespAuthGate>();
        if (options.TlsEnabled)
        {
            services.AddSingleton(s => new CertificateSource(options.TlsCertFile!, options.TlsKeyFile!, options.TlsCaFile, options.SecretsPollInterval, Logger(s), s.GetRequiredService<BackgroundErrors>()));
        }

        services.AddSingleton(s => new PeerConnector(options, s.GetService<CertificateSource>(), s.GetRequiredService<ApiKeyStore>()));
    }

    private static ILogger Logger(IServiceProvider services) => services.GetRequiredService<ILoggerFactory>().CreateLogger(LogCategory);
}
