namespace KubeCache.Router.Upstream;

/// <summary>
/// Defers the flushes of upstream connections while a client's pipelined batch is being started,
/// so that commands bound for the same node leave in one write instead of one write each.
/// One instance per client connection; <see cref="Enter"/> and <see cref="Exit"/> bracket the
/// synchronous part of starting a batch on one thread (never across an await).
/// </summary>
/// <remarks>
/// Batches nest: a continuation that runs inline while a batch is open may open its own, and
/// <see cref="Exit"/> restores the outer one.
/// </remarks>
public sealed class UpstreamBatch
{
    [ThreadStatic]
    private static UpstreamBatch? t_current;

    private readonly List<UpstreamConnection> _deferred = new(4);
    private UpstreamBatch? _outer;
    private bool _open;

    /// <summary>Makes this the current thread's batch: connections written to now flush on <see cref="Exit"/>.</summary>
    public void Enter()
    {
        if (_open)
        {
            ThrowHelper.ThrowBatchAlreadyOpen();
        }

        _open = true;
        _outer = t_current;
        t_current = this;
    }

    /// <summary>Restores the previous batch and flushes every connection written to since <see cref="Enter"/>.</summary>
    public void Exit()
    {
        if (!_open)
        {
            return;
        }

        _open = false;
        t_current = _outer;
        _outer = null;
        foreach (UpstreamConnection connection in _deferred)
        {
            connection.Flush();
        }

        _deferred.Clear();
    }

    /// <summary>Records that <paramref name="connection"/> has unflushed bytes; false when no batch is open on this thread.</summary>
    internal static bool Defer(UpstreamConnection connection)
    {
        if (t_current is not { } batch)
        {
            return false;
        }

        if (!batch._deferred.Contains(connection))
        {
            batch._deferred.Add(connection);
        }

        return true;
    }
}
