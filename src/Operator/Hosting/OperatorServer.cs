using System.Diagnostics.Metrics;
using System.Net;
using k8s;
using KubeCache.Background;
using KubeCache.Hosting;
using KubeCache.Kubernetes;
using KubeCache.Operator.Controller;
using KubeCache.Operator.Metrics;
using KubeCache.Operator.Options;
using KubeCache.Operator.Reconcile;
using KubeCache.Prometheus;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace KubeCache.Operator.Hosting;

/// <summary>
/// One operator replica: Kestrel on --http-port with /metrics, /healthz and /readyz, and the
/// <see cref="OperatorService"/> (informers, leader election, reconciling). Program and the tests
/// start operators through this class, so both run the same wiring.
/// </summary>
public sealed class OperatorServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OperatorServer(WebApplication app, OperatorOptions options)
    {
        _app = app;
        Options = options;
    }

    public OperatorOptions Options { get; }

    public OperatorService Service => _app.Services.GetRequiredService<OperatorService>();

    public IServiceProvider Services => _app.Services;

    /// <summary>The HTTP listener's address, with the real port once started.</summary>
    public Uri HttpAddress => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <param name="options">Validated here.</param>
    /// <param name="config">The API connection; null loads it (in-cluster, else KUBECONFIG or ~/.kube/config).</param>
    /// <param name="logging">Replaces the console logging (tests); null logs single lines to stdout.</param>
    /// <param name="time">The clock of leader election, rebalance deadlines and conditions; the system's when null.</param>
    public static OperatorServer Create(OperatorOptions options, KubernetesClientConfiguration? config = null, Action<ILoggingBuilder>? logging = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        ServerHostDefaults.Apply(builder, logging, options.ShutdownTimeout);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(time ?? TimeProvider.System);
        KubernetesClientConfiguration connection = config ?? KubernetesConnection.Load();
        // No --lease-namespace: the kubeconfig context's namespace (in a pod, the service account's).
        options.LeaseNamespace ??= connection.Namespace ?? "default";
        builder.Services.AddSingleton(_ => KubernetesConnection.Create(connection));
        builder.Services.AddMetrics();
        builder.Services.AddSingleton(s => new OperatorMetrics(s.GetRequiredService<IMeterFactory>()));
        builder.Services.AddBackgroundErrors(OperatorMetrics.MeterName);
        // Scoped to this host's meter factory, so operators sharing a process (tests) do not mix their series.
        builder.Services.AddSingleton(s => new PrometheusExporter(
            [OperatorMetrics.MeterName], new PrometheusExporterOptions { MeterScope = s.GetRequiredService<IMeterFactory>() }));
        builder.Services.AddSingleton<PodHttpClients>();
        builder.Services.AddSingleton(s => new ClusterController(
            s.GetRequiredService<IKubernetes>(), s.GetRequiredService<PodHttpClients>(), options, s.GetRequiredService<OperatorMetrics>(),
            s.GetRequiredService<ILoggerFactory>().CreateLogger("KubeCache.Operator"), s.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<OperatorService>();
        builder.Services.AddHostedService(s => s.GetRequiredService<OperatorService>());
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Parse(options.Bind), options.HttpPort);
        });

        WebApplication app = builder.Build();
        app.Run(new OperatorEndpoints(app.Services.GetRequiredService<OperatorService>(), app.Services.GetRequiredService<PrometheusExporter>()).HandleAsync);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            Log.Started(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("KubeCache.Operator"), options.Identity,
                string.Join(", ", app.Urls), options.WatchNamespace.Length == 0 ? "all namespaces" : "namespace " + options.WatchNamespace,
                options.LeaseNamespace, options.LeaseName);
        });
        return new OperatorServer(app, options);
    }

    public Task StartAsync(CancellationToken cancellationToken = default) => _app.StartAsync(cancellationToken);

    /// <summary>Stops reconciling, releases the Lease and closes the listener.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    /// <summary>Runs until SIGTERM or Ctrl+C, then stops as <see cref="StopAsync"/> does.</summary>
    public Task RunAsync() => _app.RunAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
