using System.Diagnostics.Metrics;
using System.Net;
using KubeCache.Hosting.Auth;
using KubeCache.Hosting.Http;
using KubeCache.Hosting.Limits;
using KubeCache.Hosting.Options;
using KubeCache.Hosting.Transport;
using KubeCache.HttpContract;
using KubeCache.Prometheus;
using KubeCache.Security;
using KubeCache.Security.Keys;
using KubeCache.Security.Tls;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KubeCache.Hosting;

/// <summary>
/// A server process's web host, built the same way for a node and a router: host defaults,
/// connection limits, security, a Prometheus exporter on the process's meter, the listeners, and
/// the key check in front of the process's HTTP handler. Program and the tests start servers
/// through the subclasses, so both run the same wiring.
/// </summary>
public abstract class KubeCacheServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ServerListeners _listeners;

    protected KubeCacheServer(WebApplication app, ServerListeners listeners)
    {
        _app = app;
        _listeners = listeners;
    }

    public IServiceProvider Services => _app.Services;

    /// <summary>Where HTTP (and sniffed RESP) is served, with the real port once started.</summary>
    public IPEndPoint HttpEndPoint => _listeners.Http?.IPEndPoint ?? throw new InvalidOperationException("The server is not started, or serves HTTPS only.");

    /// <summary>Where RESP is served, or null when --resp-port is 0.</summary>
    public IPEndPoint? RespEndPoint => _listeners.Resp?.IPEndPoint;

    /// <summary>Where HTTPS (and RESP over TLS) is served, or null when --tls-http-port is not set.</summary>
    public IPEndPoint? TlsHttpEndPoint => _listeners.TlsHttp?.IPEndPoint;

    /// <summary>Where RESP over TLS is served, or null when --tls-resp-port is not set.</summary>
    public IPEndPoint? TlsRespEndPoint => _listeners.TlsResp?.IPEndPoint;

    protected WebApplication App => _app;

    public Task StartAsync(CancellationToken cancellationToken = default) => _app.StartAsync(cancellationToken);

    /// <summary>Runs until the host is told to stop (SIGTERM, Ctrl+C).</summary>
    public Task RunAsync() => _app.RunAsync();

    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Starts a host with the services every server has; the process adds its own before <see cref="Build"/>.</summary>
    /// <param name="options">Validated options.</param>
    /// <param name="meterName">The process's meter: limits, security and background errors count there, and /metrics exports it.</param>
    /// <param name="logging">Replaces the console logging (tests pass one that clears providers).</param>
    protected static WebApplicationBuilder CreateBuilder(ServerOptions options, string meterName, Action<ILoggingBuilder>? logging)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        ServerHostDefaults.Apply(builder, logging, options.ShutdownDelay + options.ShutdownTimeout);
        if (options.IoThreads > 0 && EpollTransportFactory.IsSupported)
        {
            // Registered after Kestrel's socket transport, so Kestrel binds with this one; a router also connects to its nodes with it.
            builder.Services.AddSingleton(s => new EpollTransportFactory(
                s.GetRequiredService<IOptions<SocketTransportOptions>>(), options.IoThreads, s.GetService<IMemoryPoolFactory<byte>>()));
            builder.Services.AddSingleton<IConnectionListenerFactory>(s => s.GetRequiredService<EpollTransportFactory>());
        }

        builder.Services.AddHostedService(s => new ShutdownDrain(options, s.GetRequiredService<IHostApplicationLifetime>(), s.GetRequiredService<ILogger<ShutdownDrain>>()));
        ServerLimits.AddTo(builder, options.Limits, options.MaxBodyBytes, meterName);
        builder.Services.AddMetrics();
        builder.Services.AddKubeCacheSecurity(options.Security, meterName);
        builder.Services.AddSingleton<HttpKeyAuthentication>();

        // Scoped to this host's meter factory, so servers sharing a process (tests) do not mix their series.
        builder.Services.AddSingleton(s => new PrometheusExporter(
            [meterName], new PrometheusExporterOptions { MeterScope = s.GetRequiredService<IMeterFactory>() }));
        return builder;
    }

    /// <summary>
    /// Adds the listeners, builds the host, loads the keys and certificates now (so a bad file
    /// stops start-up with a message naming the flag) and serves HTTP with <paramref name="http"/>
    /// behind the key check.
    /// </summary>
    /// <param name="builder">From <see cref="CreateBuilder"/>, with the process's services added.</param>
    /// <param name="options">The ports and TLS settings.</param>
    /// <param name="resp">The process's RESP connection handler, from its services.</param>
    /// <param name="http">The process's HTTP handler, from its services.</param>
    /// <param name="httpConnections">Told when an HTTP connection opens (true) and closes (false); optional.</param>
    /// <param name="hotRequests">The key API's hot requests, answered on plain HTTP connections without Kestrel's per-request work; optional.</param>
    protected static (WebApplication App, ServerListeners Listeners) Build(
        WebApplicationBuilder builder, ServerOptions options, Func<IServiceProvider, Func<ConnectionContext, Task>> resp,
        Func<IServiceProvider, RequestDelegate> http, Func<IServiceProvider, Action<bool>>? httpConnections = null,
        Func<IServiceProvider, IHotKeyRequests>? hotRequests = null)
    {
        var listeners = new ServerListeners();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            listeners.Listen(
                kestrel, IPAddress.Parse(options.Bind), options.HttpPort, options.RespPort, options.Security, resp, httpConnections,
                hotRequests is null ? null : services => HotPath(services, options, hotRequests(services)));
        });

        WebApplication app = builder.Build();
        _ = app.Services.GetRequiredService<ApiKeyStore>();
        _ = app.Services.GetService<CertificateSource>();
        app.Use(ShutdownDrain.CloseWhileStopping(app.Lifetime.ApplicationStopping));
        app.Use(app.Services.GetRequiredService<HttpKeyAuthentication>().Wrap);
        app.Run(http(app.Services));
        return (app, listeners);
    }

    /// <summary>
    /// The hot-request reader, or null when API keys are configured: the key check reads the
    /// credentials from Kestrel's request, so then every request goes through Kestrel.
    /// </summary>
    private static Func<ConnectionDelegate, ConnectionDelegate>? HotPath(IServiceProvider services, ServerOptions options, IHotKeyRequests requests) =>
        services.GetRequiredService<ApiKeyAuthenticator>().Enabled
            ? null
            : new HotConnection(
                requests,
                services.GetRequiredService<ServerLimits>(),
                options.MaxBodyBytes,
                services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping).Wrap;
}
