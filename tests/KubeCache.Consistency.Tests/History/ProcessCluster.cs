using System.Diagnostics;
using System.Net;
using System.Text.Json;
using KubeCache.Testing;
using KubeCache.Topology;

namespace KubeCache.Consistency.Tests.History;

/// <summary>
/// Real node processes <c>node-0</c>…<c>node-(n-1)</c> and router processes on loopback, each
/// following its own ring file in a temporary directory (process logs go there too). Every node
/// runs from the start; the ring document decides which are members. The test writes the files,
/// directly (<see cref="Participant.Write"/>) or through a <see cref="RingPublisher"/>. With
/// flaky links, every node reaches its peers through a <see cref="CuttingProxy"/> in front of each
/// peer's RESP port (its ring file names the proxies; routers' files name the nodes themselves).
/// </summary>
public sealed class ProcessCluster : IAsyncDisposable
{
    public const string ClusterName = "history";

    /// <summary>How often every process re-reads its ring file.</summary>
    public const string RingPollInterval = "50ms";

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Task[] _restarts;
    private readonly Dictionary<string, CuttingProxy> _links = [];
    private long _sequence;

    private ProcessCluster(string directory, Participant[] nodes, Participant[] routers)
    {
        Directory = directory;
        Nodes = nodes;
        Routers = routers;
        _restarts = [.. nodes.Select(_ => Task.CompletedTask)];
    }

    /// <summary>Node-to-node connections the flaky links have cut so far (0 without them).</summary>
    public long LinkCuts => _links.Values.Sum(l => l.Cuts);

    /// <summary>Ring files and process logs.</summary>
    public string Directory { get; }

    public IReadOnlyList<Participant> Nodes { get; }

    public IReadOnlyList<Participant> Routers { get; }

    public IEnumerable<Participant> All => Nodes.Concat(Routers);

    /// <summary>Milliseconds since the cluster started: the clock of schedules and histories.</summary>
    public long Now => _clock.ElapsedMilliseconds;

    /// <summary>
    /// Starts <paramref name="nodes"/> nodes and <paramref name="routers"/> routers; every ring file
    /// holds <paramref name="initial"/> (built from <see cref="Nodes"/>' members) before any process starts.
    /// With <paramref name="cutLinks"/> above 0, that share of the connections between nodes is cut
    /// (<see cref="CuttingProxy"/>, its draws seeded by <paramref name="seed"/>).
    /// </summary>
    public static async Task<ProcessCluster> StartAsync(
        int nodes, int routers, Func<IReadOnlyList<Participant>, RingDocument> initial, double cutLinks = 0, int seed = 1)
    {
        string directory = System.IO.Directory.CreateTempSubdirectory("kubecache-history-").FullName;
        // Each port was free a moment ago, but nothing holds it until its process starts: draw until all differ.
        var taken = new HashSet<int>();
        int FreePort()
        {
            int port;
            while (!taken.Add(port = Ports.Free()))
            {
            }

            return port;
        }

        Participant Make(string name, bool router) =>
            new(name, router, Path.Combine(directory, name + ".ring.json"), FreePort(), FreePort());
        var cluster = new ProcessCluster(directory,
            [.. Enumerable.Range(0, nodes).Select(i => Make($"node-{i}", false))],
            [.. Enumerable.Range(0, routers).Select(i => Make($"router-{i}", true))]);
        try
        {
            if (cutLinks > 0)
            {
                cluster.LinkNodes(cutLinks, seed);
            }

            RingDocument first = initial(cluster.Nodes);
            long sequence = cluster.NextSequence();
            foreach (Participant participant in cluster.All)
            {
                participant.Write(first, sequence, 0);
            }

            await Task.WhenAll(cluster.Nodes.Select(cluster.StartNodeAsync));
            await Task.WhenAll(cluster.Routers.Select(cluster.StartRouterAsync));
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    /// <summary>Puts a <see cref="CuttingProxy"/> in front of every node's RESP port, and gives every node a view of the ring that names the proxies of its peers.</summary>
    private void LinkNodes(double share, int seed)
    {
        foreach ((Participant node, int index) in Nodes.Select((n, i) => (n, i)))
        {
            _links[node.Name] = new CuttingProxy(new IPEndPoint(IPAddress.Loopback, node.RespPort), share, seed * 31 + index);
        }

        foreach (Participant node in Nodes)
        {
            RingMember Linked(RingMember member) =>
                member.Name != node.Name && _links.TryGetValue(member.Name, out CuttingProxy? link) ? member with { Resp = link.Address } : member;
            node.View = document => new RingDocument
            {
                Cluster = document.Cluster,
                Epoch = document.Epoch,
                Hash = document.Hash,
                Scheme = document.Scheme,
                Members = [.. document.Members.Select(Linked)],
                Previous = document.Previous is { } previous ? previous with { Members = [.. previous.Members.Select(Linked)] } : null,
            };
        }
    }

    /// <summary>The next publication number: ring files only ever move to a higher one.</summary>
    public long NextSequence() => Interlocked.Increment(ref _sequence);

    /// <summary>A document of this cluster.</summary>
    public static RingDocument Document(long epoch, IEnumerable<Participant> members, RingGeneration? previous = null) =>
        new() { Cluster = ClusterName, Epoch = epoch, Members = [.. members.Select(m => m.Member)], Previous = previous };

    public Participant Node(string name) => Nodes.Single(n => n.Name == name);

    /// <summary>Kills a node (a StatefulSet shrinking), then starts a new, empty process in its place in the background.</summary>
    public async Task ReplaceNodeAsync(Participant node)
    {
        int index = Nodes.ToList().IndexOf(node);
        await _restarts[index];
        if (node.Process is { } process)
        {
            node.Process = null;
            await process.DisposeAsync();
        }

        _restarts[index] = StartNodeAsync(node);
    }

    /// <summary>Waits until every replaced node runs again.</summary>
    public Task NodesRunningAsync() => Task.WhenAll(_restarts);

    /// <summary>The node's <c>GET /cluster/handoff</c>, or null when it does not answer.</summary>
    public static async Task<HandoffStatus?> HandoffAsync(Participant node)
    {
        if (node.Process is not { } process || await process.GetAsync("/cluster/handoff") is not { } body)
        {
            return null;
        }

        using JsonDocument json = JsonDocument.Parse(body);
        JsonElement root = json.RootElement;
        return new HandoffStatus(root.GetProperty("epoch").GetInt64(), Enum.Parse<HandoffState>(root.GetProperty("state").GetString()!, ignoreCase: true),
            root.GetProperty("keysSent").GetInt64(), root.GetProperty("keysLeft").GetInt64());
    }

    /// <summary>Writes <paramref name="document"/> to <paramref name="participant"/>'s ring file now.</summary>
    public void Write(Participant participant, RingDocument document) => participant.Write(document, NextSequence(), Now);

    /// <summary>Writes <paramref name="document"/> to every ring file now, as one publication; returns its number.</summary>
    public long WriteEverywhere(RingDocument document)
    {
        long sequence = NextSequence();
        foreach (Participant participant in All)
        {
            participant.Write(document, sequence, Now);
        }

        return sequence;
    }

    /// <summary>Waits until every running process (or those given) uses <paramref name="document"/>.</summary>
    public Task AppliedAsync(RingDocument document, TimeSpan deadline, params Participant[] only) => Poll.UntilAsync(async () =>
    {
        IEnumerable<Participant> participants = only.Length > 0 ? only : All.Where(p => p.Process is not null);
        bool[] applied = await Task.WhenAll(participants.Select(p => p.HasAppliedAsync(document)));
        return applied.All(a => a);
    }, $"{(only.Length > 0 ? string.Join(", ", only.Select(p => p.Name)) : "every process")} to apply epoch {document.Epoch}{(document.Previous is null ? "" : " with previous")}",
        deadline, TimeSpan.FromMilliseconds(50));

    /// <summary>Waits until <paramref name="nodes"/> report their handoff for <paramref name="epoch"/> done.</summary>
    public static Task HandoffsDoneAsync(IEnumerable<Participant> nodes, long epoch, TimeSpan deadline) => Poll.UntilAsync(
        async () => (await Task.WhenAll(nodes.Select(HandoffAsync))).All(h => h is { State: HandoffState.Done } && h.Epoch >= epoch),
        $"{string.Join(", ", nodes)} to finish their handoff of epoch {epoch}", deadline, TimeSpan.FromMilliseconds(50));

    /// <summary>
    /// Empties every store once every process uses <paramref name="document"/> (a ring without
    /// <c>previous</c>) and no handoff is streaming: schedules and tests start from here, one
    /// after another on the same processes. A handoff pass that starts later still may bring back
    /// a key of an earlier schedule, which no later one reads (every schedule's keys carry its seed).
    /// </summary>
    public async Task EmptyStoresAsync(RingDocument document, TimeSpan deadline)
    {
        await NodesRunningAsync();
        await AppliedAsync(document, deadline);
        await Poll.UntilAsync(async () => (await Task.WhenAll(Nodes.Select(HandoffAsync))).All(h => h is { State: not HandoffState.Streaming }),
            "no node to be streaming a handoff", deadline, TimeSpan.FromMilliseconds(50));
        foreach (Participant node in Nodes)
        {
            await using RespTestClient client = await RespTestClient.ConnectAsync(node.Process!.RespEndPoint);
            Assert.Equal("OK", (await client.CallAsync("FLUSHALL")).AsString());
        }
    }

    private async Task StartNodeAsync(Participant node) => node.Process = await ServerProcess.StartNodeAsync(
        node.Name, node.HttpPort, node.RespPort, node.RingFile, LogOf(node),
        "--ring-poll-interval", RingPollInterval, "--max-memory", "64mb");

    private async Task StartRouterAsync(Participant router) => router.Process = await ServerProcess.StartRouterAsync(
        router.HttpPort, router.RespPort, router.RingFile, LogOf(router),
        "--ring-poll-interval", RingPollInterval, "--upstream-timeout", "5s");

    private string LogOf(Participant participant) => Path.Combine(Directory, participant.Name + ".log");

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_restarts.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        foreach (Participant participant in All)
        {
            if (participant.Process is { } process)
            {
                participant.Process = null;
                await process.DisposeAsync();
            }
        }

        foreach (CuttingProxy link in _links.Values)
        {
            await link.DisposeAsync();
        }
    }
}
