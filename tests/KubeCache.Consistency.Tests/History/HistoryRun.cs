using System.Text;
using KubeCache.Protocol;
using KubeCache.Testing;
using KubeCache.Topology;

namespace KubeCache.Consistency.Tests.History;

/// <summary>
/// One seeded schedule against a <see cref="ProcessCluster"/>: the test is the rebalance
/// coordinator (docs/topology.md) and publishes each document through a <see cref="RingPublisher"/>,
/// so every process applies it at its own moment, while <see cref="HistoryClient"/>s write,
/// remove, expire, increment and read through random routers. At the end every key is read
/// through every router and checked against its model.
/// </summary>
public sealed class HistoryRun
{
    private readonly ProcessCluster _cluster;
    private readonly HistorySettings _settings;
    private readonly int _seed;
    private readonly Random _random;
    private readonly ScheduleLog _log;
    private readonly RingPublisher _publisher;
    private readonly HistoryStats _stats = new();
    private readonly List<string> _problems = [];
    private readonly List<KeyModel> _keys = [];
    private readonly SemaphoreSlim _gate;
    private readonly List<Task> _routersCatchingUp = [];

    private HistoryRun(ProcessCluster cluster, HistorySettings settings, int seed)
    {
        _cluster = cluster;
        _settings = settings;
        _seed = seed;
        _random = new Random(seed);
        _log = new ScheduleLog(() => cluster.Now);
        _publisher = new RingPublisher(cluster, _log, _random);
        _gate = new SemaphoreSlim(settings.Clients);
    }

    /// <summary>Runs schedule <paramref name="seed"/>: <paramref name="changes"/>, or changes drawn from the seed when null.</summary>
    public static async Task<HistoryResult> RunAsync(
        ProcessCluster cluster, HistorySettings settings, int seed, IReadOnlyList<RingChange>? changes, string reproduce)
    {
        var run = new HistoryRun(cluster, settings, seed);
        IReadOnlyList<RingChange> planned = changes ?? RingChange.Draw(run._random, settings.Changes);
        long cutsBefore = cluster.LinkCuts;
        await run.ExecuteAsync(planned);
        return new HistoryResult(seed, reproduce, planned, run._stats, [.. run._keys.Select(k => k.Violation).OfType<Violation>()],
            run._keys.Count(k => k.MissingAfterDeadline), run._problems, run._log, cluster.Directory, cluster.LinkCuts - cutsBefore);
    }

    private async Task ExecuteAsync(IReadOnlyList<RingChange> changes)
    {
        await ResetAsync();
        string tag = $"h{_seed}";
        List<KeyModel> loaded = [.. Enumerable.Range(0, _settings.LoadedKeys).Select(i => new KeyModel($"{tag}:load:{i}", "loader"))];
        _keys.AddRange(loaded);
        await LoadAsync(loaded);

        await using var connections = new RouterConnections(_cluster);
        var clients = new List<(HistoryClient Client, RouterConnections Connections)>();
        for (int c = 0; c < _settings.Clients; c++)
        {
            string name = $"client-{c}";
            KeyModel[] strings = [.. Enumerable.Range(0, _settings.KeysPerClient).Select(i => new KeyModel($"{tag}:c{c}:s{i}", name))];
            KeyModel[] counters = [.. Enumerable.Range(0, _settings.KeysPerClient).Select(i => new KeyModel($"{tag}:c{c}:n{i}", name))];
            _keys.AddRange(strings);
            _keys.AddRange(counters);
            var own = new RouterConnections(_cluster);
            clients.Add((new HistoryClient(name, strings, counters, loaded, own, _publisher, () => _cluster.Now, _stats, new Random(_seed * 7919 + c)), own));
        }

        using var stop = new CancellationTokenSource();
        Task[] running = [.. clients.Select(c => Task.Run(() => c.Client.RunAsync(_gate, stop.Token)))];
        bool flushes = _random.Next(4) == 0;
        int flushAt = _settings.FlushAll ?? flushes ? _random.Next(500, 4_000) : -1;
        Participant flushVia = _cluster.Routers[_random.Next(_cluster.Routers.Count)];
        Task flush = flushAt < 0 ? Task.CompletedTask : FlushAllAsync(connections, flushVia, flushAt);
        try
        {
            await Task.Delay(_settings.QuietTraffic);
            foreach (RingChange change in changes)
            {
                await ChangeAsync(change);
            }

            await flush;
            await _publisher.WrittenAsync();
            await _cluster.NodesRunningAsync();
            await _cluster.AppliedAsync(_publisher.Newest.Document!, _settings.CoordinatorDeadline);
            await Task.WhenAll(_routersCatchingUp);
            await Task.Delay(_settings.QuietTraffic);
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(running);
            foreach ((_, RouterConnections own) in clients)
            {
                await own.DisposeAsync();
            }
        }

        // Every short TTL has run out by now, so each key's final state is one of its states.
        await Task.Delay(TimeSpan.FromMilliseconds(500 + KeyState.ExpiryMarginMs));
        _log.Add("final reads through every router");
        foreach (Participant router in _cluster.Routers)
        {
            foreach (KeyModel key in _keys.Where(k => k.Violation is null))
            {
                long from = _cluster.Now;
                RespValue reply = await connections.CallAsync(router, ["GET", key.Key]);
                key.Record(new GetOp(), Replies.Of(reply), from, _cluster.Now, "checker", router.Name, lagging: false);
            }
        }
    }

    /// <summary>
    /// Brings the cluster to a known start: every store empty and a ring of members drawn from the
    /// seed, applied everywhere. Schedules run one after another on the same processes.
    /// </summary>
    private async Task ResetAsync()
    {
        await _cluster.NodesRunningAsync();
        await _publisher.WrittenAsync();
        List<Participant> members = [.. _cluster.Nodes.OrderBy(_ => _random.Next()).Take(_settings.FirstRingMembers).OrderBy(n => n.Name, StringComparer.Ordinal)];
        RingDocument first = ProcessCluster.Document(_cluster.All.Max(p => p.Written?.Epoch ?? 0) + 1, members);
        _publisher.PublishEverywhere(first);
        await _cluster.EmptyStoresAsync(first, _settings.CoordinatorDeadline);
        _log.Add("every store emptied");
    }

    /// <summary>Writes the loaded keys through router-0 with MSET, 50 at a time.</summary>
    private async Task LoadAsync(List<KeyModel> loaded)
    {
        await using var connections = new RouterConnections(_cluster);
        foreach (KeyModel[] chunk in loaded.Chunk(50))
        {
            long from = _cluster.Now;
            RespValue reply = await connections.CallAsync(_cluster.Routers[0], ["MSET", .. chunk.SelectMany(k => new[] { k.Key, k.Key + "=loaded" })]);
            foreach (KeyModel key in chunk)
            {
                key.Record(new SetOp(key.Key + "=loaded"), Replies.Of(reply), from, _cluster.Now, "loader", _cluster.Routers[0].Name, lagging: false);
            }
        }

        _log.Add($"loaded {loaded.Count} keys");
    }

    /// <summary>One ring change, coordinated as docs/topology.md describes, with each document reaching each process at its own moment.</summary>
    private async Task ChangeAsync(RingChange change)
    {
        RingDocument current = _publisher.Newest.Document!;
        List<Participant> members = [.. current.Members.Select(m => _cluster.Node(m.Name))];
        List<Participant> outside = [.. _cluster.Nodes.Except(members)];
        ChangeKind kind = change.Kind switch
        {
            ChangeKind.Remove or ChangeKind.AddAndRemove when members.Count <= 2 => ChangeKind.Add,
            ChangeKind.Add or ChangeKind.AddAndRemove when outside.Count == 0 => ChangeKind.Remove,
            _ => change.Kind,
        };
        Participant? added = kind is ChangeKind.Add or ChangeKind.AddAndRemove ? outside[_random.Next(outside.Count)] : null;
        Participant? removed = kind is ChangeKind.Remove or ChangeKind.AddAndRemove ? members[_random.Next(members.Count)] : null;
        List<Participant> next = [.. members.Where(m => m != removed).Concat(added is null ? [] : [added]).OrderBy(n => n.Name, StringComparer.Ordinal)];
        await _cluster.NodesRunningAsync();

        long epoch = current.Epoch + 1;
        _log.Add($"change {kind}{(added is null ? "" : $" +{added}")}{(removed is null ? "" : $" -{removed}")}{(change.DeadlineFinish ? ", finished at the deadline" : "")}");
        RingDocument moving = ProcessCluster.Document(epoch, next, new RingGeneration(current.Epoch, current.Members, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        _publisher.Publish(moving);

        List<KeyModel> lost = [];
        if (change.DeadlineFinish)
        {
            await Task.Delay(_random.Next(100, 700));
            lost = await FinishAtDeadlineAsync(moving, members);
        }
        else if (!await RebalanceDoneAsync(moving, members))
        {
            _problems.Add($"e{epoch}: handoffs or routers not done after {_settings.CoordinatorDeadline.TotalSeconds} s (see the schedule); finished anyway");
            lost = await FinishAtDeadlineAsync(moving, members);
        }

        RingDocument finished = ProcessCluster.Document(epoch, next);
        _publisher.Publish(finished);
        if (lost.Count > 0)
        {
            _routersCatchingUp.Add(RoutersCaughtUpAsync(finished, lost));
        }

        if (removed is not null)
        {
            _log.Add($"kill {removed} (the StatefulSet shrinks); a new empty process takes its place");
            await _cluster.ReplaceNodeAsync(removed);
        }

        if (!change.BackToBack)
        {
            await Task.Delay(_random.Next(300, 1_200));
        }
    }

    /// <summary>Polls until every previous member reports the epoch done and every router uses it; false at the coordinator's deadline.</summary>
    private async Task<bool> RebalanceDoneAsync(RingDocument moving, List<Participant> previous)
    {
        DateTime giveUp = DateTime.UtcNow + _settings.CoordinatorDeadline;
        while (DateTime.UtcNow < giveUp)
        {
            HandoffStatus?[] handoffs = await Task.WhenAll(previous.Select(ProcessCluster.HandoffAsync));
            RingDocument?[] routers = await Task.WhenAll(_cluster.Routers.Select(r => r.AppliedAsync()));
            if (handoffs.All(h => h is { State: HandoffState.Done } && h.Epoch >= moving.Epoch) && routers.All(r => r?.Epoch >= moving.Epoch))
            {
                _log.Add($"e{moving.Epoch}: every previous member done, every router on e{moving.Epoch}");
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }

    /// <summary>Tells <paramref name="keys"/> once every router routes by <paramref name="finished"/> or a later document.</summary>
    private async Task RoutersCaughtUpAsync(RingDocument finished, List<KeyModel> keys)
    {
        await Poll.UntilAsync(async () => (await Task.WhenAll(_cluster.Routers.Select(r => r.AppliedAsync())))
            .All(applied => applied is not null && (applied.Epoch > finished.Epoch || (applied.Epoch == finished.Epoch && applied.Previous is null))),
            $"every router to apply e{finished.Epoch}", _settings.CoordinatorDeadline, TimeSpan.FromMilliseconds(50));
        foreach (KeyModel key in keys)
        {
            key.RoutersCaughtUp();
        }
    }

    /// <summary>
    /// Finishes without waiting: keys the change moves may be missing from now on (reported, not a
    /// violation). Returns those keys.
    /// </summary>
    private async Task<List<KeyModel>> FinishAtDeadlineAsync(RingDocument moving, List<Participant> previous)
    {
        HandoffStatus?[] handoffs = await Task.WhenAll(previous.Select(ProcessCluster.HandoffAsync));
        long left = handoffs.Sum(h => h is { } s && s.Epoch == moving.Epoch && s.State != HandoffState.Done ? s.KeysLeft : 0);
        _log.Add($"e{moving.Epoch}: deadline finish; previous members report {left} keys left: "
            + string.Join(", ", previous.Zip(handoffs).Select(p => $"{p.First} {p.Second?.State.ToString() ?? "?"}@e{p.Second?.Epoch}")));
        Ring before = moving.PreviousRing()!, after = moving.CurrentRing();
        List<KeyModel> moved = [.. _keys.Where(k => before.OwnerOf(Encoding.UTF8.GetBytes(k.Key)).Name != after.OwnerOf(Encoding.UTF8.GetBytes(k.Key)).Name)];
        foreach (KeyModel key in moved)
        {
            key.MayBeLost(_cluster.Now);
        }

        return moved;
    }

    /// <summary>FLUSHALL through a random router once every client is between commands.</summary>
    private async Task FlushAllAsync(RouterConnections connections, Participant router, int afterMs)
    {
        await Task.Delay(afterMs);
        for (int i = 0; i < _settings.Clients; i++)
        {
            await _gate.WaitAsync();
        }

        try
        {
            RespValue reply = await connections.CallAsync(router, ["FLUSHALL"]);
            _log.Add($"FLUSHALL via {router} -> {Replies.Of(reply)}");
            foreach (KeyModel key in _keys)
            {
                key.Flushed(!reply.IsError, _cluster.Now);
            }
        }
        finally
        {
            _gate.Release(_settings.Clients);
        }
    }
}
