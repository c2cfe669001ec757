using System.Collections.Concurrent;

namespace KubeCache.Topology.Tests.Support;

/// <summary>
/// An in-memory ring, scripted node statuses and router epochs. Published documents go through
/// ring.json and back, as they would through a ConfigMap, so tests see only what survives it.
/// </summary>
internal sealed class FakeRebalanceEnvironment : IRebalanceEnvironment
{
    private readonly ConcurrentDictionary<string, HandoffStatus?> _statuses = new(StringComparer.Ordinal);

    public RingDocument? Document { get; set; }

    public List<RingDocument> Published { get; } = [];

    /// <summary>Names asked for status, in order, across all steps.</summary>
    public ConcurrentQueue<string> Asked { get; } = new();

    /// <summary>Called on each status request before answering; lets a test change statuses as polls happen.</summary>
    public Action<RingMember>? OnStatusRequest { get; set; }

    /// <summary>Sets what <paramref name="name"/> reports; null (or never set) means unreachable.</summary>
    public void Report(string name, HandoffStatus? status) => _statuses[name] = status;

    public void ReportDone(long epoch, params string[] names)
    {
        foreach (string name in names)
        {
            Report(name, new HandoffStatus(epoch, HandoffState.Done, 10, 0));
        }
    }

    public Task<RingDocument?> ReadRingAsync(CancellationToken cancellationToken) => Task.FromResult(Document);

    public Task PublishRingAsync(RingDocument document, CancellationToken cancellationToken)
    {
        Document = RingDocument.Parse(document.ToUtf8Json());
        Published.Add(Document);
        return Task.CompletedTask;
    }

    /// <summary>What the routers report; none by default.</summary>
    public List<RouterEpoch> Routers { get; } = [];

    public Task<IReadOnlyList<RouterEpoch>> GetRouterEpochsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<RouterEpoch>>([.. Routers]);

    public Task<HandoffStatus?> GetHandoffStatusAsync(RingMember member, CancellationToken cancellationToken)
    {
        Asked.Enqueue(member.Name);
        OnStatusRequest?.Invoke(member);
        return Task.FromResult(_statuses.GetValueOrDefault(member.Name));
    }
}
