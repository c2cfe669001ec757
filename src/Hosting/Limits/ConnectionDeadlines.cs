using System.Collections.Concurrent;
using KubeCache.Background;
using Microsoft.AspNetCore.Connections;

namespace KubeCache.Hosting.Limits;

/// <summary>
/// Enforces the deadlines of connections the server reads itself (RESP, and HTTP while its own
/// reader answers the hot requests) the way Kestrel enforces HTTP's: each connection only
/// writes its current deadlines into two fields (no timer per read or flush, which would cost a
/// timer-queue lock on every request), and one ticker checks every connection a few times per
/// shortest timeout, aborting those whose deadline has passed.
/// </summary>
public sealed class ConnectionDeadlines : IDisposable
{
    private readonly ConcurrentDictionary<TimedConnection, byte> _connections = new();
    private readonly LimitMetrics _metrics;
    private readonly Timer _ticker;

    public ConnectionDeadlines(ConnectionLimits limits, LimitMetrics metrics, BackgroundErrors errors)
    {
        _metrics = metrics;
        TimeSpan shortest = new[] { limits.IdleTimeout, limits.RequestTimeout, limits.OutputTimeout }.Min();

        // A quarter of the shortest timeout, so a deadline is enforced at most 25% late, but at
        // most once a second (as Kestrel) and at least every 50 ms.
        Tick = TimeSpan.FromTicks(Math.Clamp(shortest.Ticks / 4, TimeSpan.FromMilliseconds(50).Ticks, TimeSpan.FromSeconds(1).Ticks));
        _ticker = new Timer(_ => errors.Run("connection-deadlines", Check), null, Tick, Tick);
    }

    /// <summary>How often deadlines are checked: a deadline is enforced at most this late.</summary>
    public TimeSpan Tick { get; }

    /// <summary>Milliseconds on the clock deadlines are written in.</summary>
    public static long Now => Environment.TickCount64;

    /// <param name="connection">The connection to abort when a deadline passes.</param>
    /// <param name="resp">Whether its close counts as RESP's or HTTP's.</param>
    internal TimedConnection Add(ConnectionContext connection, bool resp)
    {
        var timed = new TimedConnection(connection, resp);
        _connections.TryAdd(timed, 0);
        return timed;
    }

    internal void Remove(TimedConnection timed) => _connections.TryRemove(timed, out _);

    public void Dispose() => _ticker.Dispose();

    private void Check()
    {
        long now = Now;
        foreach (TimedConnection timed in _connections.Keys)
        {
            if (timed.Expired(now) is { } reason)
            {
                _metrics.Closed(timed.Resp, reason);
                timed.Abort(reason);
            }
        }
    }
}

/// <summary>
/// The deadlines of one connection the server reads itself (RESP, or HTTP's hot requests): one
/// while it waits for input (idle or mid-frame), one while a flush waits for the client. Each is a deadline in <see cref="ConnectionDeadlines.Now"/>
/// milliseconds shifted left two bits with the <see cref="CloseReason"/> in the low bits, so a
/// deadline and its reason are written and read together.
/// </summary>
internal sealed class TimedConnection(ConnectionContext connection, bool resp)
{
    private const long None = long.MaxValue;
    private long _read = None;
    private long _write = None;
    private int _aborted;

    public bool Resp => resp;

    public void ArmRead(long deadline, CloseReason reason) => Volatile.Write(ref _read, Pack(deadline, reason));

    public void DisarmRead() => Volatile.Write(ref _read, None);

    public void ArmWrite(long deadline) => Volatile.Write(ref _write, Pack(deadline, CloseReason.SlowResponse));

    public void DisarmWrite() => Volatile.Write(ref _write, None);

    /// <summary>The reason of a deadline that has passed, once; null while none has.</summary>
    public CloseReason? Expired(long now)
    {
        long due = Math.Min(Volatile.Read(ref _read), Volatile.Read(ref _write));
        if (due == None || (due >> 2) > now || Interlocked.Exchange(ref _aborted, 1) != 0)
        {
            return null;
        }

        return (CloseReason)(due & 3);
    }

    /// <summary>Closes the connection; its handler's pending read or flush ends and the handler returns.</summary>
    public void Abort(CloseReason reason) => connection.Abort(new ConnectionAbortedException($"Closed by the server: {reason}."));

    private static long Pack(long deadline, CloseReason reason) => (Math.Min(deadline, None >> 3) << 2) | (long)reason;
}
