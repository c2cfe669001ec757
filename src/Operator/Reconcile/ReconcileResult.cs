namespace KubeCache.Operator.Reconcile;

/// <summary>
/// How a successful reconcile wants to be called again: not at all (until something changes),
/// after a delay while work is in progress, or after a delay though settled (<see cref="Settled"/>:
/// the crash poll's next look, counted as a success).
/// </summary>
public readonly record struct ReconcileResult(TimeSpan? RequeueAfter, bool Settled = false)
{
    public static ReconcileResult Done => default;

    public static ReconcileResult After(TimeSpan delay) => new(delay);

    /// <summary>Settled, but looked at again after <paramref name="delay"/> (--node-poll-interval).</summary>
    public static ReconcileResult DoneUntil(TimeSpan delay) => new(delay, Settled: true);
}
