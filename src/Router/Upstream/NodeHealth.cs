namespace KubeCache.Router.Upstream;

/// <summary>
/// Whether a node may be sent requests. A failure marks an up node down for
/// <see cref="UpstreamOptions.MarkDownInterval"/>; while down, requests are refused without any
/// I/O. Once the interval has passed, one request is let through as a probe: if it succeeds the
/// node is up again, if it fails the node stays down for twice as long, up to
/// <see cref="UpstreamOptions.MaxMarkDownInterval"/>.
/// </summary>
/// <remarks>
/// Only the probe can change the interval or bring the node back: failures of requests that were
/// already in flight when the node went down repeat the same news and are not counted again, and
/// their successes (replies that beat the failure) do not prove the node healthy.
/// </remarks>
internal sealed class NodeHealth(UpstreamOptions options, TimeProvider time)
{
    /// <summary>Ticket of a request admitted while the node is up.</summary>
    public const long Regular = 0;

    private readonly Lock _sync = new();
    private volatile bool _down;
    private long _downUntil;
    private TimeSpan _interval;
    private long _probe;
    private long _lastProbe;
    private string _lastCause = "";
    private long _markedDown;

    /// <summary>Whether the node is marked down, i.e. has failed and no probe has succeeded since.</summary>
    public bool IsDown => _down;

    /// <summary>How long the current mark-down lasts; zero while the node is up.</summary>
    public TimeSpan Interval
    {
        get
        {
            lock (_sync)
            {
                return _down ? _interval : TimeSpan.Zero;
            }
        }
    }

    /// <summary>How many times the node went from up to down.</summary>
    public long MarkedDownCount => Interlocked.Read(ref _markedDown);

    /// <summary>
    /// Whether a request may go to the node. <paramref name="ticket"/> is <see cref="Regular"/>,
    /// or identifies the probe; pass it to exactly one of <see cref="Succeeded"/>,
    /// <see cref="Failed"/> or <see cref="Abandoned"/>. When refused, <paramref name="lastCause"/>
    /// says why the node was marked down.
    /// </summary>
    public bool TryAdmit(out long ticket, out string lastCause)
    {
        ticket = Regular;
        lastCause = "";
        if (!_down)
        {
            return true;
        }

        lock (_sync)
        {
            if (!_down)
            {
                return true;
            }

            if (_probe == Regular && time.GetTimestamp() >= _downUntil)
            {
                ticket = _probe = ++_lastProbe;
                return true;
            }

            lastCause = _lastCause;
            return false;
        }
    }

    /// <summary>Records a reply; returns true when it was the probe and the node is up again.</summary>
    public bool Succeeded(long ticket)
    {
        if (ticket == Regular)
        {
            return false;
        }

        lock (_sync)
        {
            if (_probe != ticket)
            {
                return false;
            }

            _probe = Regular;
            _down = false;
            return true;
        }
    }

    /// <summary>
    /// Records a failure; returns true when it marked the node down or, being the probe, doubled
    /// the interval, with the new <paramref name="interval"/>.
    /// </summary>
    public bool Failed(long ticket, string cause, out TimeSpan interval)
    {
        lock (_sync)
        {
            _lastCause = cause;
            if (!_down)
            {
                _down = true;
                Interlocked.Increment(ref _markedDown);
                _interval = options.MarkDownInterval;
            }
            else if (ticket != Regular && ticket == _probe)
            {
                _probe = Regular;
                _interval = TimeSpan.FromTicks(Math.Min(_interval.Ticks * 2, options.MaxMarkDownInterval.Ticks));
            }
            else
            {
                interval = _interval;
                return false;
            }

            interval = _interval;
            _downUntil = time.GetTimestamp() + (long)(_interval.TotalSeconds * time.TimestampFrequency);
            return true;
        }
    }

    /// <summary>Records a request that ended without news of the node (the caller cancelled): the next request probes instead.</summary>
    public void Abandoned(long ticket)
    {
        if (ticket == Regular)
        {
            return;
        }

        lock (_sync)
        {
            if (_probe == ticket)
            {
                _probe = Regular;
            }
        }
    }
}
