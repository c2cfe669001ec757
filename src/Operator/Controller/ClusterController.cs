using System.Diagnostics;
using k8s;
using k8s.Models;
using KubeCache.Kubernetes;
using KubeCache.Operator.Metrics;
using KubeCache.Operator.Options;
using KubeCache.Operator.Reconcile;
using KubeCache.Operator.Resources;

namespace KubeCache.Operator.Controller;

/// <summary>
/// The informers (KvClusters, and the StatefulSets, Pods, ConfigMaps and Deployments labelled
/// managed-by=kvcache-operator), the one work queue every change feeds, and the workers that
/// reconcile its keys. Informers run in every replica, so a standby is warm and ready; workers
/// run only while this replica leads (<see cref="RunWorkersAsync"/>).
/// </summary>
public sealed class ClusterController : IDisposable
{
    /// <summary>Workers reconciling different KvClusters at once; the queue never gives one key to two.</summary>
    public const int Workers = 2;

    private readonly ClusterReconciler _reconciler;
    private readonly EventRecorder _events;
    private readonly OperatorMetrics _metrics;
    private readonly ILogger _logger;
    private readonly List<(string Name, Func<CancellationToken, Task> Run, Func<bool> Synced, Func<CancellationToken, Task> WaitForSync)> _informers = [];

    public ClusterController(IKubernetes client, PodHttpClients http, OperatorOptions options, OperatorMetrics metrics, ILogger logger, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _metrics = metrics;
        _logger = logger;
        TimeProvider clock = time ?? TimeProvider.System;
        string? ns = options.WatchNamespace.Length == 0 ? null : options.WatchNamespace;
        Clusters = Watch<KvCluster>(client, OperatorResources.KvClusters,
            new InformerOptions { Namespace = ns, ResyncPeriod = options.ResyncPeriod });
        var managed = new InformerOptions { Namespace = ns, LabelSelector = ClusterKeys.ManagedSelector };
        StatefulSets = Watch<V1StatefulSet>(client, OperatorResources.StatefulSets, managed);
        Pods = Watch<V1Pod>(client, ApiResource.Pods, managed);
        Watch<V1ConfigMap>(client, ApiResource.ConfigMaps, managed);
        Watch<V1Deployment>(client, OperatorResources.Deployments, managed);
        _events = new EventRecorder(client, options.Identity, logger, clock);
        _reconciler = new ClusterReconciler(client, http, new ReconcilerSources(Clusters, Pods, StatefulSets),
            new ReconcilerSettings(options.Images, options.HandoffDeadline, options.Identity, clock, options.NodePollInterval), _events, metrics, logger);
        Queue = new WorkQueue(clock);
    }

    public Informer<KvCluster> Clusters { get; }

    public Informer<V1Pod> Pods { get; }

    public Informer<V1StatefulSet> StatefulSets { get; }

    public WorkQueue Queue { get; }

    /// <summary>True once every informer has listed its collection.</summary>
    public bool HasSynced => _informers.All(i => i.Synced());

    /// <summary>Runs every informer until cancelled.</summary>
    public Task RunInformersAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_informers.Select(i => i.Run(cancellationToken)));

    public Task WaitForSyncAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_informers.Select(i => i.WaitForSync(cancellationToken)));

    /// <summary>
    /// Reconciles queued keys until <paramref name="leading"/> is cancelled (leadership lost or
    /// shutdown). Every known KvCluster is queued first, so a new leader looks at all of them.
    /// </summary>
    public async Task RunWorkersAsync(CancellationToken leading)
    {
        await WaitForSyncAsync(leading).ConfigureAwait(false);
        foreach (KvCluster cluster in Clusters.List())
        {
            if (ClusterKeys.For(cluster) is { } key)
            {
                Queue.Add(key);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => WorkAsync(leading))).ConfigureAwait(false);
    }

    public void Dispose() => Queue.Dispose();

    private async Task WorkAsync(CancellationToken leading)
    {
        while (!leading.IsCancellationRequested)
        {
            string key;
            try
            {
                key = await Queue.TakeAsync(leading).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await ProcessAsync(key, leading).ConfigureAwait(false);
        }
    }

    private async Task ProcessAsync(string key, CancellationToken leading)
    {
        long started = Stopwatch.GetTimestamp();
        try
        {
            ReconcileResult result = await _reconciler.ReconcileAsync(key, leading).ConfigureAwait(false);
            Queue.Forget(key);
            if (result.RequeueAfter is { } delay)
            {
                Queue.AddAfter(key, delay);
            }

            _metrics.Reconciled(result.RequeueAfter is null || result.Settled ? "success" : "requeue", Stopwatch.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (leading.IsCancellationRequested)
        {
            // Leadership ended mid-reconcile: the next leader starts from the current state anyway.
            Queue.Add(key);
        }
        catch (Exception e)
        {
            TimeSpan delay = Queue.AddRateLimited(key);
            _metrics.Reconciled("error", Stopwatch.GetElapsedTime(started));
            int failures = Queue.Failures(key);
            Log.ReconcileFailed(_logger, key, failures, delay, e.Message);
            await ReportFailureAsync(key, failures, e, leading).ConfigureAwait(false);
        }
        finally
        {
            Queue.Done(key);
        }
    }

    /// <summary>
    /// Ready=False (reason ReconcileFailed) in the status, and a Warning event on the first
    /// failure of a streak and every tenth after, so a stuck cluster is visible but not noisy.
    /// </summary>
    private async Task ReportFailureAsync(string key, int failures, Exception error, CancellationToken leading)
    {
        string[] parts = key.Split('/', 2);
        try
        {
            await _reconciler.RecordFailureAsync(key, error, leading).ConfigureAwait(false);
            if ((failures == 1 || failures % 10 == 0) && parts.Length == 2 && Clusters.Get(parts[0], parts[1]) is { } cluster)
            {
                await _events.RecordAsync(cluster, EventRecorder.Warning, StatusCalculator.ReconcileFailed, "Reconcile",
                    $"Reconcile failed (attempt {failures}): {ApiErrors.StatusOf(error)?.Message ?? error.Message}", leading).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (leading.IsCancellationRequested)
        {
            // Leadership ended; the next leader reports what still fails.
        }
        catch (Exception e) when (e is k8s.Autorest.HttpOperationException or HttpRequestException)
        {
            // The API that failed the reconcile may fail the report too; the next attempt reports again.
            Log.ReconcileFailed(_logger, key, failures, TimeSpan.Zero, $"could not record the failure in the status: {e.Message}");
        }
    }

    private Informer<T> Watch<T>(IKubernetes client, ApiResource resource, InformerOptions options)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var informer = new Informer<T>(client, resource, options);
        informer.Changed += change =>
        {
            if (ClusterKeys.For(change.Object) is { } key)
            {
                Queue.Add(key);
            }
        };
        informer.Error += e => Log.InformerError(_logger, resource.Plural, e.Message);
        _informers.Add((resource.Plural, informer.RunAsync, () => informer.HasSynced, informer.WaitForSyncAsync));
        return informer;
    }
}
