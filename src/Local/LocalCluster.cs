using KubeCache.Background;
using KubeCache.Router.Routing;
using KubeCache.Security.Keys;
using KubeCache.Topology;

namespace KubeCache.Local;

/// <summary>
/// Local mode (<c>--local-nodes N</c>): starts N cache nodes as child processes on loopback,
/// publishes their ring to a file the nodes follow and to the router's <see cref="RouteTable"/>,
/// and adds or removes nodes through the same <see cref="RebalanceCoordinator"/> the operator
/// drives: a new node starts and is ready before the ring names it; a leaving node
/// leaves the ring first and its process stops only after its keys have moved. One change runs
/// at a time. Every node is killed when the router stops.
/// </summary>
public sealed partial class LocalCluster : IHostedService, IDisposable
{
    /// <summary>The ring's cluster name in local mode.</summary>
    public const string ClusterName = "local";

    private readonly BackgroundErrors _errors;
    private readonly LocalOptions _options;
    private readonly RouteTable _table;
    private readonly ILogger<LocalCluster> _logger;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly SemaphoreSlim _change = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly RebalanceCoordinator _coordinator;
    private readonly ApiKeyStore _keys;
    private LocalNodeSettings? _settings;
    private readonly List<LocalNode> _spawned = [];
    private volatile LocalNode[] _nodes = [];
    private int _lastIndex;

    /// <remarks>Nodes run from the router's own directory (tests: their output directory, where the node is copied too).</remarks>
    public LocalCluster(
        LocalOptions options, RouteTable table, ApiKeyStore keys, BackgroundErrors errors, IHostApplicationLifetime lifetime, ILogger<LocalCluster> logger)
    {
        _errors = errors;
        _keys = keys;
        _lifetime = lifetime;
        _options = options;
        _table = table;
        _logger = logger;
        _coordinator = new RebalanceCoordinator(this, ClusterName, new RebalanceOptions { HandoffDeadline = options.HandoffDeadline });
    }

    /// <summary>The nodes in the ring (a running change included once it finished), in start order.</summary>
    public IReadOnlyList<LocalNode> Nodes => _nodes;

    /// <summary>Where the ring file and the node logs are; null before the start.</summary>
    public string? Directory => _settings?.Directory;

    private LocalNodeSettings Settings => _settings ?? throw new InvalidOperationException("The local cluster is not started.");

    /// <summary>Starts the nodes in parallel and publishes epoch 1 before the router starts listening.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _settings = LocalNodeSettings.ForRouter(_options, _errors);
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
        LocalNode[] nodes = [.. Enumerable.Range(0, _options.LocalNodes).Select(_ => NewNode())];
        try
        {
            await Task.WhenAll(nodes.Select(n => StartNodeAsync(n, cancellationToken))).ConfigureAwait(false);
        }
        catch
        {
            KillAll();
            throw;
        }

        _nodes = nodes;
        await RebalanceAsync(nodes, cancellationToken).ConfigureAwait(false);
        Log.LocalStarted(_logger, nodes.Length, Settings.Directory);
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        KillAll();
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        KillAll();
        _stopping.Dispose();
        _change.Dispose();
        _http.Dispose();
    }

    /// <summary>Starts a node, waits until it is ready, then rebalances onto it; returns once the rebalance finished.</summary>
    public Task<LocalChange> AddNodeAsync() => ChangeAsync(async token =>
    {
        LocalNode node = NewNode();
        await StartNodeAsync(node, token).ConfigureAwait(false);
        LocalNode[] members = [.. _nodes, node];
        try
        {
            await RebalanceAsync(members, token).ConfigureAwait(false);
        }
        catch
        {
            await node.StopAsync().ConfigureAwait(false);
            throw;
        }

        _nodes = members;
        return new LocalChange(LocalChangeStatus.Done, node);
    });

    /// <summary>Takes the node out of the ring, waits for its keys to move, then stops its process.</summary>
    public Task<LocalChange> RemoveNodeAsync(string name) => ChangeAsync(async token =>
    {
        if (Find(name) is not { } node)
        {
            return new LocalChange(LocalChangeStatus.UnknownNode, null, UnknownMessage(name));
        }

        if (_nodes.Length == 1)
        {
            return new LocalChange(LocalChangeStatus.LastNode, node, $"{name} is the last node; add another before removing it.");
        }

        LocalNode[] members = [.. _nodes.Where(n => n != node)];
        await RebalanceAsync(members, token).ConfigureAwait(false);
        _nodes = members;
        await node.StopAsync().ConfigureAwait(false);
        Log.LocalNodeStopped(_logger, name);
        return new LocalChange(LocalChangeStatus.Done, node);
    });

    /// <summary>Starts a node whose process died again, on the same ports under the same name, so the ring stays as it is.</summary>
    public Task<LocalChange> RestartNodeAsync(string name) => ChangeAsync(async token =>
    {
        if (Find(name) is not { } node)
        {
            return new LocalChange(LocalChangeStatus.UnknownNode, null, UnknownMessage(name));
        }

        if (node.IsRunning)
        {
            return new LocalChange(LocalChangeStatus.StillRunning, node, $"{name} is running; only a node whose process ended can be restarted.");
        }

        await StartNodeAsync(node, token).ConfigureAwait(false);
        return new LocalChange(LocalChangeStatus.Done, node);
    });

    private async Task<LocalChange> ChangeAsync(Func<CancellationToken, Task<LocalChange>> change)
    {
        if (!await _change.WaitAsync(0).ConfigureAwait(false))
        {
            return new LocalChange(LocalChangeStatus.Busy, null, "another membership change is running; retry when it has finished.");
        }

        try
        {
            // The change runs to its end even when the HTTP client goes away: a half-done rebalance helps nobody.
            return await change(_stopping.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is LocalNodeException or HttpRequestException or IOException && !_stopping.IsCancellationRequested)
        {
            Log.LocalChangeFailed(_logger, e);
            return new LocalChange(LocalChangeStatus.Failed, null, e.Message);
        }
        finally
        {
            _change.Release();
        }
    }

    /// <summary>Drives the coordinator until the ring holds exactly <paramref name="members"/> and no handoff is pending.</summary>
    private async Task RebalanceAsync(IReadOnlyList<LocalNode> members, CancellationToken cancellationToken)
    {
        RingMember[] desired = [.. members.Select(n => n.Member)];
        RebalanceProgress progress = await _coordinator.RunToCompletionAsync(desired, cancellationToken).ConfigureAwait(false);
        if (progress.Phase == RebalancePhase.FinishedAfterDeadline)
        {
            Log.LocalRebalanceTimedOut(_logger, progress.Epoch, string.Join(", ", progress.TimedOut));
        }

        Log.LocalRebalanced(_logger, progress.Epoch, progress.Phase, string.Join(", ", members.Select(n => n.Name)));
    }

    private async Task StartNodeAsync(LocalNode node, CancellationToken cancellationToken)
    {
        await node.StartAsync(_http, cancellationToken).ConfigureAwait(false);
        Log.LocalNodeStarted(_logger, node.Name, node.Member.Http, node.Member.Resp, node.LogPath);
    }

    private LocalNode NewNode()
    {
        var node = LocalNode.Create($"node-{Interlocked.Increment(ref _lastIndex)}", Settings);
        node.ExitedUnexpectedly += (n, code) =>
        {
            // Ctrl+C signals the whole process group, so nodes may end just before the router stops them.
            if (!_stopping.IsCancellationRequested && !_lifetime.ApplicationStopping.IsCancellationRequested)
            {
                Log.LocalNodeExited(_logger, n.Name, code, n.LogPath);
            }
        };
        lock (_spawned)
        {
            _spawned.Add(node);
        }

        return node;
    }

    private LocalNode? Find(string name) => _nodes.FirstOrDefault(n => n.Name == name);

    private string UnknownMessage(string name) =>
        $"no node is named '{name}'; the nodes are {string.Join(", ", _nodes.Select(n => n.Name))}.";

    private void OnProcessExit(object? sender, EventArgs e) => _errors.Run("local-cluster-exit", KillAll);

    /// <summary>Kills every process this cluster started, nodes being added included.</summary>
    private void KillAll()
    {
        LocalNode[] spawned;
        lock (_spawned)
        {
            spawned = [.. _spawned];
        }

        foreach (LocalNode node in spawned)
        {
            node.Kill();
        }
    }
}
