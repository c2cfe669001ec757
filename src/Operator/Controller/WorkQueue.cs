namespace KubeCache.Operator.Controller;

/// <summary>
/// The controller's queue of KvCluster keys (<c>namespace/name</c>), as client-go's workqueue
/// works: a key added while queued is queued once; a key added while a worker processes it is
/// queued again only when that worker calls <see cref="Done"/>, so no key is ever processed twice
/// at once; failures come back after a per-key exponential backoff; <see cref="AddAfter"/>
/// schedules a key (a rebalance in progress is polled that way).
/// </summary>
public sealed class WorkQueue : IDisposable
{
    /// <summary>Delay after a key's first failure: 5 ms, as client-go's per-item limiter.</summary>
    public static readonly TimeSpan BaseBackoff = TimeSpan.FromMilliseconds(5);

    /// <summary>Longest delay after repeated failures: 5 minutes.</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);

    private readonly Lock _gate = new();
    private readonly Queue<string> _queue = new();
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private readonly HashSet<string> _processing = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _failures = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _ready = new(0);
    private readonly CancellationTokenSource _shutdown = new();
    private readonly TimeProvider _time;

    /// <param name="time">The clock of delayed adds; <see cref="TimeProvider.System"/> when null.</param>
    public WorkQueue(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    /// <summary>Keys waiting to be processed (not counting those being processed).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Queues <paramref name="key"/> unless it is already waiting.</summary>
    public void Add(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        lock (_gate)
        {
            if (_shutdown.IsCancellationRequested || !_dirty.Add(key) || _processing.Contains(key))
            {
                // Waiting already, or in a worker's hands: Done queues it again.
                return;
            }

            _queue.Enqueue(key);
        }

        _ready.Release();
    }

    /// <summary>Queues <paramref name="key"/> after <paramref name="delay"/>.</summary>
    public void AddAfter(string key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }

        _ = AddLaterAsync(key, delay);
    }

    /// <summary>Records a failure of <paramref name="key"/> and queues it after its backoff (5 ms doubling to 5 min).</summary>
    /// <returns>The delay chosen.</returns>
    public TimeSpan AddRateLimited(string key)
    {
        int failures;
        lock (_gate)
        {
            failures = _failures.GetValueOrDefault(key) + 1;
            _failures[key] = failures;
        }

        TimeSpan delay = Backoff(failures);
        AddAfter(key, delay);
        return delay;
    }

    /// <summary>Clears <paramref name="key"/>'s failure count: its next failure backs off from 5 ms again.</summary>
    public void Forget(string key)
    {
        lock (_gate)
        {
            _failures.Remove(key);
        }
    }

    /// <summary>Failures recorded for <paramref name="key"/> since it was last forgotten.</summary>
    public int Failures(string key)
    {
        lock (_gate)
        {
            return _failures.GetValueOrDefault(key);
        }
    }

    /// <summary>The delay after the <paramref name="failures"/>th consecutive failure: 5 ms × 2^(n−1), at most 5 minutes.</summary>
    public static TimeSpan Backoff(int failures)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failures, 1);
        // 2^17 × 5 ms is past 5 minutes already; capping the exponent keeps the shift in range.
        double milliseconds = BaseBackoff.TotalMilliseconds * (1L << Math.Min(failures - 1, 30));
        return milliseconds >= MaxBackoff.TotalMilliseconds ? MaxBackoff : TimeSpan.FromMilliseconds(milliseconds);
    }

    /// <summary>Waits for a key and hands it to the caller, who must call <see cref="Done"/> with it.</summary>
    /// <exception cref="OperationCanceledException">Cancelled, or the queue was shut down.</exception>
    public async Task<string> TakeAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
        while (true)
        {
            await _ready.WaitAsync(linked.Token).ConfigureAwait(false);
            lock (_gate)
            {
                if (_queue.TryDequeue(out string? key))
                {
                    _dirty.Remove(key);
                    _processing.Add(key);
                    return key;
                }
            }
        }
    }

    /// <summary>Ends processing of <paramref name="key"/>; if it was added meanwhile, it is queued again now.</summary>
    public void Done(string key)
    {
        bool requeue;
        lock (_gate)
        {
            _processing.Remove(key);
            requeue = _dirty.Contains(key) && !_shutdown.IsCancellationRequested;
            if (requeue)
            {
                _queue.Enqueue(key);
            }
        }

        if (requeue)
        {
            _ready.Release();
        }
    }

    /// <summary>Stops handing out keys and drops delayed adds; waiting takers get an <see cref="OperationCanceledException"/>.</summary>
    public void ShutDown()
    {
        lock (_gate)
        {
            _shutdown.Cancel();
        }
    }

    public void Dispose()
    {
        ShutDown();
        _shutdown.Dispose();
        _ready.Dispose();
    }

    private async Task AddLaterAsync(string key, TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _time, _shutdown.Token).ConfigureAwait(false);
            Add(key);
        }
        catch (OperationCanceledException)
        {
            // Shut down: delayed keys are dropped with the queue.
        }
        catch (ObjectDisposedException)
        {
            // Disposed while waiting.
        }
    }
}
