using System.Net;
using KubeCache.Hosting.Limits;
using KubeCache.Hosting.Transport;
using KubeCache.Security;
using KubeCache.Security.Tls;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KubeCache.Hosting;

/// <summary>
/// The listeners a node and a router both open, the same way: HTTP (RESP sniffed by its first
/// byte), RESP, and the TLS pair (--tls-http-port, --tls-resp-port) when a certificate is
/// configured. Connection admission (<see cref="ServerLimits"/>) comes first on each, before any
/// sniffing or handshake work, and every RESP connection runs under the RESP deadlines.
/// </summary>
/// <remarks>
/// Kestrel runs its configuration when the server starts, so a process creates this first, calls
/// <see cref="Listen"/> from its Kestrel configuration, and reads the listeners after start.
/// </remarks>
public sealed class ServerListeners
{
    /// <summary>The plain HTTP listener, or null when HTTPS replaces it.</summary>
    public ListenOptions? Http { get; private set; }

    /// <summary>The plain RESP listener, or null when the RESP port is 0.</summary>
    public ListenOptions? Resp { get; private set; }

    public ListenOptions? TlsHttp { get; private set; }

    public ListenOptions? TlsResp { get; private set; }

    /// <summary>Adds the listeners to <paramref name="kestrel"/>; their end points are known once the server has started.</summary>
    /// <param name="kestrel">The server being configured.</param>
    /// <param name="address">The --bind address.</param>
    /// <param name="httpPort">0 picks a free port, unless HTTPS is served: then it turns plain HTTP off.</param>
    /// <param name="respPort">0 turns plain RESP off.</param>
    /// <param name="security">TLS ports and certificates (--tls-*).</param>
    /// <param name="respHandler">The process's RESP connection handler, resolved from the application's services.</param>
    /// <param name="httpConnections">Told when a connection on the HTTP port turns out to be HTTP (true) and when it closes (false); optional.</param>
    /// <param name="hotPath">Connection middleware in front of Kestrel's HTTP on the plain HTTP port (<see cref="Http.HotConnection"/>); optional, and null when it returns null.</param>
    public void Listen(
        KestrelServerOptions kestrel, IPAddress address, int httpPort, int respPort, SecurityOptions security,
        Func<IServiceProvider, Func<ConnectionContext, Task>> respHandler, Func<IServiceProvider, Action<bool>>? httpConnections = null,
        Func<IServiceProvider, Func<ConnectionDelegate, ConnectionDelegate>?>? hotPath = null)
    {
        ServerLimits Limits() => kestrel.ApplicationServices.GetRequiredService<ServerLimits>();
        Task ServeResp(ConnectionContext connection) => Limits().ServeRespAsync(connection, respHandler(kestrel.ApplicationServices));
        ConnectionDelegate Sniffer(ConnectionDelegate next) =>
            ProtocolSniffer.Create(next, ServeResp, httpConnections?.Invoke(kestrel.ApplicationServices));
        ConnectionDelegate Tls(ConnectionDelegate next) => WithoutInlineServing(TlsConnections.Wrap(
            next,
            kestrel.ApplicationServices.GetRequiredService<CertificateSource>(),
            kestrel.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(SecurityHosting.LogCategory)));

        if (httpPort > 0 || security.TlsHttpPort == 0)
        {
            kestrel.Listen(address, httpPort, listen =>
            {
                Http = listen;
                listen.Protocols = HttpProtocols.Http1;
                listen.Use(next => Limits().Admit(next, respOnly: false));
                listen.Use(next => Sniffer(hotPath?.Invoke(kestrel.ApplicationServices) is { } hot ? hot(next) : next));
            });
        }

        if (respPort > 0)
        {
            kestrel.Listen(address, respPort, listen =>
            {
                Resp = listen;
                listen.Use(next => Limits().Admit(next, respOnly: true));
                listen.Run(ServeResp);
            });
        }

        if (security.TlsEnabled && security.TlsHttpPort > 0)
        {
            kestrel.Listen(address, security.TlsHttpPort, listen =>
            {
                TlsHttp = listen;
                listen.Protocols = HttpProtocols.Http1;
                listen.Use(next => Limits().Admit(next, respOnly: false));
                listen.Use(next => Tls(Sniffer(next)));
            });
        }

        if (security.TlsEnabled && security.TlsRespPort > 0)
        {
            kestrel.Listen(address, security.TlsRespPort, listen =>
            {
                TlsResp = listen;
                listen.Use(next => Limits().Admit(next, respOnly: true));
                listen.Use(_ => Tls(connection => ServeResp(connection)));
            });
        }
    }

    /// <summary>Behind TLS the socket carries ciphertext: the transport's loop must not serve it inline (<see cref="IInlineServingFeature"/>).</summary>
    private static ConnectionDelegate WithoutInlineServing(ConnectionDelegate next) => connection =>
    {
        connection.Features.Set<IInlineServingFeature>(null);
        return next(connection);
    };
}
