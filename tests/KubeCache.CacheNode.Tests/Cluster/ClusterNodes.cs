using System.Text.Json;
using KubeCache.CacheNode.Options;
using KubeCache.Testing;
using KubeCache.Topology;

namespace KubeCache.CacheNode.Tests.Cluster;

/// <summary>
/// Several real nodes in one process following one ring file, as local mode and a ConfigMap
/// volume arrange it. Members' RESP addresses are the nodes' HTTP ports, which accept RESP too.
/// </summary>
internal sealed class ClusterNodes : IAsyncDisposable
{
    private readonly Dictionary<string, TestNode> _nodes = new(StringComparer.Ordinal);

    public ClusterNodes()
    {
        RingFile = Path.Combine(Directory.CreateTempSubdirectory("kvcache-ring-").FullName, "ring.json");
    }

    public string RingFile { get; }

    public TestNode this[string name] => _nodes[name];

    public async Task<TestNode> StartAsync(string name, int httpPort = 0, Action<NodeOptions>? configure = null)
    {
        TestNode node = await TestNode.StartAsync(o =>
        {
            o.NodeName = name;
            o.HttpPort = httpPort;
            o.RingFile = RingFile;
            o.RingPollInterval = TimeSpan.FromMilliseconds(50);
            configure?.Invoke(o);
        });
        _nodes[name] = node;
        return node;
    }

    public static RingMember MemberAt(string name, int port) => new(name, $"127.0.0.1:{port}", $"127.0.0.1:{port}");

    public RingMember Member(string name) => MemberAt(name, _nodes[name].Server.HttpEndPoint.Port);

    /// <summary>Replaces the ring file the nodes watch, or <paramref name="ringFile"/> (one node's own), in one step.</summary>
    public async Task PublishAsync(RingDocument document, string? ringFile = null)
    {
        ringFile ??= RingFile;
        string temporary = ringFile + ".tmp";
        await File.WriteAllBytesAsync(temporary, document.ToUtf8Json());
        File.Move(temporary, ringFile, overwrite: true);
    }

    /// <summary>Polls a node's /cluster/handoff until it reports <paramref name="epoch"/> done.</summary>
    public Task WaitForHandoffDoneAsync(string name, long epoch, TimeSpan deadline) => WaitForHandoffDoneAsync(_nodes[name], name, epoch, deadline);

    /// <summary>Polls <paramref name="node"/>'s /cluster/handoff until it reports <paramref name="epoch"/> done.</summary>
    public static async Task WaitForHandoffDoneAsync(TestNode node, string name, long epoch, TimeSpan deadline)
    {
        long until = Environment.TickCount64 + (long)deadline.TotalMilliseconds;
        string last = "";
        while (Environment.TickCount64 < until)
        {
            Reply reply = await node.GetAsync("/cluster/handoff");
            last = reply.Body;
            using JsonDocument json = JsonDocument.Parse(reply.Body);
            if (json.RootElement.GetProperty("epoch").GetInt64() == epoch && json.RootElement.GetProperty("state").GetString() == "done")
            {
                return;
            }

            await Task.Delay(20);
        }

        Assert.Fail($"node {name} did not finish the handoff of epoch {epoch}; last report: {last}");
    }


    public async ValueTask DisposeAsync()
    {
        foreach (TestNode node in _nodes.Values)
        {
            await node.DisposeAsync();
        }
    }
}
