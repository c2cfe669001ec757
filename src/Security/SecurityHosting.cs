using System.Diagnostics.Metrics;
using System.Net;
using KubeCache.Background;
using KubeCache.Security.Http;
using KubeCache.Security.Keys;
using KubeCache.Security.Resp;
using KubeCache.Security.Tls;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KubeCache.Security;

/// <summary>How a server process (node, router) wires authentication and TLS into its host, in one place for both.</summary>
public static class SecurityHosting
{
    /// <summary>The log category of the security services.</summary>
    public const string LogCategory = "KubeCache.Security";

    /// <summary>
    /// Registers the key store, failure limiter, authenticator (counting failures on the meter
    /// <paramref name="meterName"/>), the RESP gate, the HTTP middleware, the certificate source
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
        services.AddSingleton<HttpKeyAuthentication>();
        if (options.TlsEnabled)
        {
            services.AddSingleton(s => new CertificateSource(options.TlsCertFile!, options.TlsKeyFile!, options.TlsCaFile, options.SecretsPollInterval, Logger(s), s.GetRequiredService<BackgroundErrors>()));
        }

        services.AddSingleton(s => new PeerConnector(options, s.GetService<CertificateSource>(), s.GetRequiredService<ApiKeyStore>()));
    }

    /// <summary>
    /// Loads the keys and certificates now, so a bad file stops start-up with a message naming
    /// the flag, and puts the key check in front of <paramref name="app"/>'s handler.
    /// </summary>
    public static void UseKubeCacheSecurity(this WebApplication app)
    {
        _ = app.Services.GetRequiredService<ApiKeyStore>();
        _ = app.Services.GetService<CertificateSource>();
        HttpKeyAuthentication authentication = app.Services.GetRequiredService<HttpKeyAuthentication>();
        app.Use(authentication.Wrap);
    }

    /// <summary>Opens --tls-http-port and --tls-resp-port when set.</summary>
    /// <param name="kestrel">The server being configured.</param>
    /// <param name="address">The address the plain listeners bind to.</param>
    /// <param name="options">The ports.</param>
    /// <param name="admit">Connection admission (limits), run before the handshake; its flag says whether the listener is RESP-only.</param>
    /// <param name="http">What runs after the TLS handshake on the HTTPS port, given Kestrel's HTTP step (the HTTP/RESP sniffer).</param>
    /// <param name="resp">Serves a RESP connection.</param>
    /// <param name="opened">Told each listener as it is added (https or resp), so the caller can report its end point.</param>
    internal static void ListenTls(
        KestrelServerOptions kestrel, IPAddress address, SecurityOptions options, Func<ConnectionDelegate, bool, ConnectionDelegate> admit,
        Func<ConnectionDelegate, ConnectionDelegate> http, Func<ConnectionContext, Task> resp, Action<string, ListenOptions> opened)
    {
        if (!options.TlsEnabled)
        {
            return;
        }

        if (options.TlsHttpPort > 0)
        {
            kestrel.Listen(address, options.TlsHttpPort, listen =>
            {
                opened("https", listen);
                listen.Protocols = HttpProtocols.Http1;
                listen.Use(next => admit(next, false));
                listen.Use(next => TlsConnections.Wrap(http(next), Certificates(kestrel), Logger(kestrel.ApplicationServices)));
            });
        }

        if (options.TlsRespPort > 0)
        {
            kestrel.Listen(address, options.TlsRespPort, listen =>
            {
                opened("resp", listen);
                listen.Use(next => admit(next, true));
                listen.Use(_ => TlsConnections.Wrap(connection => resp(connection), Certificates(kestrel), Logger(kestrel.ApplicationServices)));
            });
        }
    }

    private static CertificateSource Certificates(KestrelServerOptions kestrel) => kestrel.ApplicationServices.GetRequiredService<CertificateSource>();

    private static ILogger Logger(IServiceProvider services) => services.GetRequiredService<ILoggerFactory>().CreateLogger(LogCategory);
}
