using System.Net;
using System.Security.Cryptography.X509Certificates;
using KubeCache.FakeApiServer.Auth;
using KubeCache.FakeApiServer.Controllers;
using KubeCache.FakeApiServer.Disruption;
using KubeCache.FakeApiServer.Hosting;
using KubeCache.FakeApiServer.Http;
using KubeCache.FakeApiServer.Resources;
using KubeCache.FakeApiServer.Storage;
using KubeCache.FakeApiServer.Table;
using KubeCache.FakeApiServer.Watch;
using KubeCache.FakeApiServer.Writes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KubeCache.FakeApiServer;

/// <summary>
/// An in-process Kubernetes API server for tests: Kestrel on a loopback ephemeral port serving
/// discovery, OpenAPI, and get/list/watch/create/update/patch/apply/delete on untyped objects
/// with the apiserver's semantics (global resourceVersion, generation, status and scale
/// subresources, managed fields, finalizers, garbage collection, PodDisruptionBudgets and evictions). Start one with
/// <see cref="StartAsync"/>; dispose it to stop.
/// </summary>
public sealed partial class FakeApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ResourceStore _store;
    private readonly ObjectWriter _writer;
    private readonly ContinueTokens _tokens;
    private readonly WatchHandler _watch;
    private readonly FailureInjection _failures;
    private readonly AccessControl _access;
    private readonly GarbageCollector? _collector;
    private readonly DisruptionController _disruption;
    private readonly ControllerLoop _controllers;
    private readonly Lazy<string> _kubeconfig;

    private FakeApiServer(FakeApiServerOptions options, X509Certificate2? certificate)
    {
        Options = options;
        Certificate = certificate;
        Resources = new ResourceRegistry();
        _store = new ResourceStore(options.HistoryCapacity);
        var rbac = options.Rbac ? new RbacAuthorizer(_store) : null;
        _writer = new ObjectWriter(_store, Resources, options, rbac is null ? null : new RbacAdmission(rbac, Resources));
        _tokens = new ContinueTokens(options.TimeProvider, options.ContinueTokenLifetime);
        var tables = new TableConverter(options.TimeProvider);
        _watch = new WatchHandler(_store, options, tables);
        _failures = new FailureInjection();
        _access = new AccessControl(new TokenAuthenticator(options.BearerToken, required: options.BearerToken is not null || options.Rbac),
            certificate is null ? null : new ClientCertificateAuthenticator(options.TimeProvider), rbac);
        _collector = options.GarbageCollection ? new GarbageCollector(_writer, Resources) : null;
        _disruption = new DisruptionController(_writer, Resources, options.TimeProvider);
        _controllers = new ControllerLoop(_store, [.. new Action?[] { _collector is null ? null : _collector.Pass, options.DisruptionController ? _disruption.Pass : null }.OfType<Action>()]);
        var evictions = new Evictions(_writer, Resources);
        var dispatcher = new ApiDispatcher(Resources, new ResourceHandlers(_writer, _tokens, _watch, tables, _access, evictions), _failures, _access);
        _kubeconfig = new Lazy<string>(() => WriteKubeconfig());

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (certificate is not null)
            {
                // As the apiserver: the handshake asks for a client certificate and takes any; the
                // authenticator checks it on each request.
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = certificate,
                    ClientCertificateMode = ClientCertificateMode.AllowCertificate,
                    ClientCertificateValidation = (_, _, _) => true,
                });
            }
        }));
        _app = builder.Build();
        _app.Run(dispatcher.HandleAsync);
    }

    /// <summary>Starts a server with the default namespaces (default, kube-system, kube-public, kube-node-lease).</summary>
    public static async Task<FakeApiServer> StartAsync(FakeApiServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new FakeApiServerOptions();
        var server = new FakeApiServer(options, options.UseHttps ? SelfSignedCertificate.Create() : null);
        foreach (var ns in new[] { "default", "kube-system", "kube-public", "kube-node-lease" })
        {
            server.Create(new System.Text.Json.Nodes.JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Namespace",
                ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = ns },
            });
        }
        await server._app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        server._controllers.Start();
        return server;
    }

    /// <summary>The server's root, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public FakeApiServerOptions Options { get; }

    /// <summary>The served resources (built-ins and registered CRDs).</summary>
    public ResourceRegistry Resources { get; }

    /// <summary>The serving certificate when <see cref="FakeApiServerOptions.UseHttps"/> is on.</summary>
    public X509Certificate2? Certificate { get; }

    /// <summary>The latest resourceVersion (the global revision counter).</summary>
    public long ResourceVersion => _store.Revision;

    /// <summary>
    /// An HttpClient for this server: base address set, bearer token sent, the self-signed
    /// certificate trusted, no timeout (watches are long). The caller disposes it.
    /// </summary>
    public HttpClient CreateClient()
    {
        var handler = new SocketsHttpHandler();
        if (Certificate is not null)
        {
            var expected = Certificate.Thumbprint;
            handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, _) => cert is not null && cert.GetCertHashString() == expected;
        }
        var client = new HttpClient(handler) { BaseAddress = BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        if (AdminToken is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminToken);
        }
        return client;
    }

    /// <summary>The administrator's token (system:masters), or null when tokens are not checked.</summary>
    public string? AdminToken => _access.Tokens.AdminToken;

    /// <summary>The current token of service account <paramref name="ns"/>/<paramref name="name"/>, issued on first use.</summary>
    public string ServiceAccountToken(string ns, string name) => _access.Tokens.ServiceAccountToken(ns, name);

    /// <summary>
    /// A client certificate for <paramref name="user"/> signed by the server's client CA, valid for <paramref name="lifetime"/> by <see cref="FakeApiServerOptions.TimeProvider"/>;
    /// only when <see cref="FakeApiServerOptions.UseHttps"/> is on.
    /// </summary>
    public (string CertificatePem, string KeyPem) IssueClientCertificate(UserInfo user, TimeSpan lifetime) =>
        (_access.Certificates ?? throw new InvalidOperationException("Client certificates need UseHttps.")).Issue(user, lifetime);

    /// <summary>Gives the service account a new token and refuses its old one from now on (401).</summary>
    public string RotateServiceAccountToken(string ns, string name) => _access.Tokens.Rotate(ns, name);

    /// <summary>The messages of every 403 this server has answered (RBAC and admission refusals), oldest first.</summary>
    public IReadOnlyList<string> Denials => [.. _access.Denials];

    /// <summary>The names of the users whose requests this server has authenticated (e.g. <c>system:serviceaccount:default:demo</c>).</summary>
    public IReadOnlyCollection<string> Users => [.. _access.Users.Keys];

    /// <summary>An administrator's kubeconfig for this server, written once to a temp file on first use.</summary>
    public string KubeconfigPath => _kubeconfig.Value;

    /// <summary>Writes an administrator's kubeconfig (server, CA data when HTTPS, token when checked) and returns its path.</summary>
    public string WriteKubeconfig(string? path = null, string defaultNamespace = "default") =>
        WriteKubeconfigFor(AdminToken, path, defaultNamespace);

    /// <summary>Writes a kubeconfig that authenticates as service account <paramref name="ns"/>/<paramref name="name"/>, in its namespace.</summary>
    public string WriteServiceAccountKubeconfig(string ns, string name, string path) =>
        WriteKubeconfigFor(ServiceAccountToken(ns, name), path, ns);

    private string WriteKubeconfigFor(string? token, string? path, string defaultNamespace)
    {
        path ??= Path.Combine(Directory.CreateTempSubdirectory("fake-apiserver-").FullName, "kubeconfig");
        var ca = Certificate is null ? null : SelfSignedCertificate.ToPem(Certificate);
        File.WriteAllText(path, Kubeconfig.Render(BaseAddress, ca, token, defaultNamespace));
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        _store.DropAllWatches();
        await _controllers.DisposeAsync().ConfigureAwait(false);
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        Certificate?.Dispose();
        _access.Certificates?.Dispose();
        if (_kubeconfig.IsValueCreated)
        {
            Directory.Delete(Path.GetDirectoryName(_kubeconfig.Value)!, recursive: true);
        }
    }
}
