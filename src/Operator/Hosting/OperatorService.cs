using k8s;
using KubeCache.Background;
using KubeCache.Kubernetes;
using KubeCache.Operator.Controller;
using KubeCache.Operator.Metrics;
using KubeCache.Operator.Options;

namespace KubeCache.Operator.Hosting;

/// <summary>
/// The operator's life: informers always (so /readyz means "caches synced", for the leader and
/// a standby alike), and the reconciling workers only while this replica holds the Lease. On
/// shutdown the workers stop first, then the Lease is released, so a standby takes over at once.
/// </summary>
public sealed class OperatorService : BackgroundService
{
    private readonly IKubernetes _client;
    private readonly OperatorOptions _options;
    private readonly OperatorMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly BackgroundErrors _errors;
    private LeaderElector? _elector;

    public OperatorService(IKubernetes client, ClusterController controller, OperatorOptions options, OperatorMetrics metrics,
        BackgroundErrors errors, ILogger<OperatorService> logger, TimeProvider time)
    {
        _errors = errors;
        _client = client;
        Controller = controller;
        _options = options;
        _metrics = metrics;
        _logger = logger;
        _time = time;
    }

    public ClusterController Controller { get; }

    /// <summary>True once every informer has listed its collection.</summary>
    public bool IsReady => Controller.HasSynced;

    /// <summary>True while this replica holds the Lease.</summary>
    public bool IsLeader => _elector?.IsLeader == true;

    /// <summary>The Lease holder last seen, or null before the first read.</summary>
    public string? Leader => _elector?.Leader;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Task informers = _errors.SuperviseAsync("informers", Controller.RunInformersAsync, stoppingToken);
        try
        {
            await Controller.WaitForSyncAsync(stoppingToken).ConfigureAwait(false);
            Log.Synced(_logger);
            await LeadWhileElectedAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }

        await informers.ConfigureAwait(false);
    }

    private async Task LeadWhileElectedAsync(CancellationToken stoppingToken)
    {
        var elector = new LeaderElector(_client, new LeaderElectionOptions
        {
            LeaseName = _options.LeaseName,
            LeaseNamespace = _options.LeaseNamespace ?? "default",
            Identity = _options.Identity,
            LeaseDuration = _options.LeaseDuration,
            RenewDeadline = _options.RenewDeadline,
            RetryPeriod = _options.RetryPeriod,
            TimeProvider = _time,
        });
        _elector = elector;
        Task workers = Task.CompletedTask;
        elector.StartedLeading += leading =>
        {
            Log.StartedLeading(_logger, _options.Identity);
            _metrics.Leading(true);
            workers = _errors.SuperviseAsync("reconcile-workers", Controller.RunWorkersAsync, leading);
        };
        elector.StoppedLeading += () =>
        {
            _metrics.Leading(false);
            if (!stoppingToken.IsCancellationRequested)
            {
                Log.StoppedLeading(_logger);
            }
        };
        elector.NewLeader += leader => Log.NewLeader(_logger, leader.Length == 0 ? "(none)" : leader);
        elector.Error += e => Log.ElectionError(_logger, e.Message);

        using (stoppingToken.Register(() => Log.Stopping(_logger)))
        {
            // Returns on shutdown, after cancelling the leading token and releasing the Lease.
            await elector.RunAsync(stoppingToken).ConfigureAwait(false);
        }

        try
        {
            await workers.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The workers stop with the leading token.
        }
    }
}
