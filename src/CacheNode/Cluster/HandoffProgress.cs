using KubeCache.Topology;

namespace KubeCache.CacheNode.Cluster;

/// <summary>
/// What <c>GET /cluster/handoff</c> reports: the epoch being handed off, the state, and the keys
/// sent and still to send. Written by the handoff loop, read by the HTTP endpoint.
/// </summary>
public sealed class HandoffProgress
{
    private long _keysSent;
    private long _keysLeft;

    public long Epoch { get; private set; }

    public HandoffState State { get; private set; } = HandoffState.Idle;

    public long KeysSent => Volatile.Read(ref _keysSent);

    public long KeysLeft => Volatile.Read(ref _keysLeft);

    /// <summary>The reason a handoff failed, or null.</summary>
    public string? Problem { get; private set; }

    public HandoffStatus Snapshot() => new(Epoch, State, KeysSent, KeysLeft);

    internal void Begin(long epoch)
    {
        Epoch = epoch;
        Problem = null;
        Volatile.Write(ref _keysSent, 0);
        Volatile.Write(ref _keysLeft, 0);
        State = HandoffState.Streaming;
    }

    internal void SetLeft(long keys) => Volatile.Write(ref _keysLeft, keys);

    internal void Sent(long keys)
    {
        Interlocked.Add(ref _keysSent, keys);
        Interlocked.Add(ref _keysLeft, -keys);
    }

    internal void Skipped(long keys) => Interlocked.Add(ref _keysLeft, -keys);

    internal void Finish() => State = HandoffState.Done;

    internal void Fail(string problem)
    {
        Problem = problem;
        State = HandoffState.Failed;
    }
}
