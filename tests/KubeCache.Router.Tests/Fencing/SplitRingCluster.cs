using System.Text;
using KubeCache.CacheNode.Cluster;
using KubeCache.CacheNode.Hosting;
using KubeCache.Router.Hosting;
using KubeCache.Testing;
using KubeCache.Topology;
using Microsoft.Extensions.DependencyInjection;

namespace KubeCache.Router.Tests.Fencing;

/// <summary>
/// Real nodes and one router in-process on loopback, each following its own ring file, so a test
/// decides which process sees which ring document when: the schedules that a real cluster's
/// separate ConfigMap watches produce.
/// </summary>
internal sealed class SplitRingCluster : IAsyncDisposable
{
    private readonly Dictionary<string, CacheNodeServer> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RingMember> _members = new(StringComparer.Ordinal);
    private readonly string _folder = Directory.CreateTempSubdirectory("kvcache-split-ring-").FullName;
    private RouterServer? _router;

    public RouterServer Router => _router ?? throw new InvalidOperationException("No router started.");

    public CacheNodeServer Node(string name) => _nodes[name];

    public RingMember Member(string name) => _members[name];

    /// <summary>Reserves a name and an address for a node that starts later (or never).</summary>
    public RingMember Reserve(string name)
    {
        int port = Ports.Free();
        return _members[name] = new RingMember(name, $"127.0.0.1:{port}", $"127.0.0.1:{port}");
    }

    /// <summary>Starts a node following its own ring file, at the address reserved for it (or a new one).</summary>
    public async Task<CacheNodeServer> StartNodeAsync(string name)
    {
        RingMember member = _members.TryGetValue(name, out RingMember? reserved) ? reserved : Reserve(name);
        int port = int.Parse(member.Resp.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);
        CacheNodeServer node = await TestNodes.StartAsync(o =>
        {
            o.NodeName = name;
            o.RespPort = port;
            o.RingFile = FileOf(name);
            o.RingPollInterval = TimeSpan.FromMilliseconds(50);
        });
        _nodes[name] = node;
        return node;
    }

    public async Task StartRouterAsync() => _router = await TestRouters.StartAsync(o => o.RingFile = FileOf("router"));

    /// <summary>
    /// Reserves nodes a and b and returns the documents of b joining a: epoch 1 with a alone,
    /// epoch 2 while keys move (a the previous ring), and epoch 2 finished.
    /// </summary>
    public BJoinsA ReserveBJoiningA()
    {
        RingMember a = Reserve("a"), b = Reserve("b");
        return new BJoinsA(Document(1, [a]), Document(2, [a, b], previous: [a]), Document(2, [a, b]));
    }

    public static RingDocument Document(long epoch, IReadOnlyList<RingMember> members, IReadOnlyList<RingMember>? previous = null) => new()
    {
        Cluster = "test",
        Epoch = epoch,
        Members = members,
        Previous = previous is null ? null : new RingGeneration(epoch - 1, previous, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()),
    };

    /// <summary>Writes <paramref name="document"/> to the ring files of the named processes ("router" or a node name) and waits until each uses it.</summary>
    public async Task PublishAsync(RingDocument document, params string[] processes)
    {
        foreach (string process in processes)
        {
            string file = FileOf(process);
            await File.WriteAllBytesAsync(file + ".tmp", document.ToUtf8Json());
            File.Move(file + ".tmp", file, overwrite: true);
        }

        foreach (string process in processes)
        {
            await Poll.UntilAsync(() => Task.FromResult(Uses(process, document)), $"{process} to use epoch {document.Epoch}");
        }
    }

    private bool Uses(string process, RingDocument document)
    {
        RingDocument? current = process == "router"
            ? Router.Routes.Routes?.Document
            : _nodes[process].Services.GetRequiredService<ClusterMembership>().Current;
        return current is not null && current.Epoch >= document.Epoch && (current.Epoch > document.Epoch || current.Previous is null || document.Previous is not null);
    }

    /// <summary>Waits until the node's /cluster/handoff reports <paramref name="epoch"/> done.</summary>
    public Task WaitForHandoffDoneAsync(string name, long epoch) =>
        Poll.UntilAsync(
            () => Task.FromResult(_nodes[name].Services.GetRequiredService<HandoffProgress>() is { State: HandoffState.Done } p && p.Epoch == epoch),
            $"{name} to finish handing off epoch {epoch}",
            TimeSpan.FromSeconds(30));

    /// <summary>A fresh key that the named member owns in <paramref name="ring"/>.</summary>
    public static string KeyOwnedBy(RingDocument ring, string owner, string prefix) =>
        RouterCluster.FindKey(prefix, k => ring.CurrentRing().OwnerOf(Encoding.UTF8.GetBytes(k)).Name == owner);

    public async Task StopNodeAsync(string name)
    {
        await _nodes[name].DisposeAsync();
        _nodes.Remove(name);
    }

    public Task<RespTestClient> ConnectAsync() => RespTestClient.ConnectAsync(Router.RespEndPoint!);

    public Task<RespTestClient> ConnectToNodeAsync(string name) => RespTestClient.ConnectAsync(_nodes[name].RespEndPoint!);

    private string FileOf(string process) => Path.Combine(_folder, process + ".json");

    public async ValueTask DisposeAsync()
    {
        if (_router is not null)
        {
            await _router.DisposeAsync();
        }

        foreach (CacheNodeServer node in _nodes.Values)
        {
            await node.DisposeAsync();
        }

        Directory.Delete(_folder, recursive: true);
    }
}

/// <summary>The documents of <see cref="SplitRingCluster.ReserveBJoiningA"/>.</summary>
internal sealed record BJoinsA(RingDocument One, RingDocument TwoStarted, RingDocument TwoFinished);
