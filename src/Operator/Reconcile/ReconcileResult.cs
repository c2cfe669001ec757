namespace KubeCache.Operator.Reconcile;

/// <summary>How a successful reconcile wants to be called again: not at all (until something changes), or after a delay.</summary>
public readonly record struct ReconcileResult(TimeSpan? RequeueAfter)
{
    public static ReconcileResult Done => default;

    public static ReconcileResult After(TimeSpan delay) => new(delay);
}
