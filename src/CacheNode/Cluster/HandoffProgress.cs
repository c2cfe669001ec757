using KubeCache.Topology;

namespace KubeCache.CacheNode.Cluster;

/// <summary>
/// What <c>GET /cluster/handoff</c> and the metrics report: the epoch being handed off, the
/// state, the keys sent, dropped and still to send, and the last error while retrying. Written
/// by the handoff loop, read by the HTTP endpoint and the metrics.
/// </summary>
public sealed class HandoffProgress
{
    private long _keysSent;
    private long _keysLeft;
    private long _keysDropped;
    private long _totalSent;
    private long _totalDropped;
    private long _failures;
    private volatile string? _lastError;

    public long Epoch { get; private set; }

    public HandoffState State { get; private set; } = HandoffState.Idle;

    public long KeysSent => Volatile.Read(ref _keysSent);

    public long KeysLeft => Volatile.Read(ref _keysLeft);

    /// <summary>Keys of this epoch whose new owner had no room for them: dropped here, lost.</summary>
    public long KeysDropped => Volatile.Read(ref _keysDropped);

    /// <summary>Keys sent since the node started, every epoch together.</summary>
    public long TotalSent => Volatile.Read(ref _totalSent);

    /// <summary>Keys dropped since the node started, every epoch together.</summary>
    public long TotalDropped => Volatile.Read(ref _totalDropped);

    /// <summary>Failed attempts to reach a new owner since the node started; each was retried.</summary>
    public long Failures => Volatile.Read(ref _failures);

    /// <summary>Why the last attempt failed, while <see cref="State"/> is Retrying; null otherwise.</summary>
    public string? LastError => _lastError;

    public HandoffStatus Snapshot() => new(Epoch, State, KeysSent, KeysLeft, KeysDropped, LastError);

    internal void Begin(long epoch)
    {
        Epoch = epoch;
        _lastError = null;
        Volatile.Write(ref _keysSent, 0);
        Volatile.Write(ref _keysLeft, 0);
        Volatile.Write(ref _keysDropped, 0);
        State = HandoffState.Streaming;
    }

    internal void SetLeft(long keys) => Volatile.Write(ref _keysLeft, keys);

    internal void Sent(long keys)
    {
        Interlocked.Add(ref _keysSent, keys);
        Interlocked.Add(ref _totalSent, keys);
        Interlocked.Add(ref _keysLeft, -keys);
    }

    internal void Dropped(long keys)
    {
        Interlocked.Add(ref _keysDropped, keys);
        Interlocked.Add(ref _totalDropped, keys);
        Interlocked.Add(ref _keysLeft, -keys);
    }

    internal void Skipped(long keys) => Interlocked.Add(ref _keysLeft, -keys);

    /// <summary>Copies given to takes, sent once more in case a take's answer was lost: left to send too.</summary>
    internal void Resending(long keys) => Interlocked.Add(ref _keysLeft, keys);

    /// <summary>Records a failed attempt; returns true when it changes what is reported (the first failure, or a different error), which is when it is logged.</summary>
    internal bool Failing(string error)
    {
        Interlocked.Increment(ref _failures);
        bool changed = State != HandoffState.Retrying || _lastError != error;
        _lastError = error;
        State = HandoffState.Retrying;
        return changed;
    }

    /// <summary>Records an attempt that went through; returns true when the handoff was retrying until now.</summary>
    internal bool Recovered()
    {
        if (State != HandoffState.Retrying)
        {
            return false;
        }

        _lastError = null;
        State = HandoffState.Streaming;
        return true;
    }

    internal void Finish() => State = HandoffState.Done;

    /// <summary>The pass ended before it finished, by the finish of its epoch: nothing is left to hand off under it.</summary>
    internal void Ended()
    {
        Volatile.Write(ref _keysLeft, 0);
        State = HandoffState.Done;
    }
}
