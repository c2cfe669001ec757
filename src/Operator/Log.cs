namespace KubeCache.Operator;

/// <summary>The operator's log lines, with stable event ids. Secrets (API keys) are never passed here.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "kvcache-operator {Identity} started; HTTP on {Address}; watching {Namespaces}; lease {LeaseNamespace}/{LeaseName}")]
    public static partial void Started(ILogger logger, string identity, string address, string namespaces, string leaseNamespace, string leaseName);

    [LoggerMessage(2, LogLevel.Information, "Informers synced; ready")]
    public static partial void Synced(ILogger logger);

    [LoggerMessage(3, LogLevel.Information, "Leading: {Identity} holds the lease and reconciles")]
    public static partial void StartedLeading(ILogger logger, string identity);

    [LoggerMessage(4, LogLevel.Warning, "Stopped leading: reconciling stops until the lease is held again")]
    public static partial void StoppedLeading(ILogger logger);

    [LoggerMessage(5, LogLevel.Information, "Leader is now {Leader}")]
    public static partial void NewLeader(ILogger logger, string leader);

    [LoggerMessage(6, LogLevel.Warning, "Leader election: {Message}")]
    public static partial void ElectionError(ILogger logger, string message);

    [LoggerMessage(7, LogLevel.Warning, "Informer {Resource}: {Message}")]
    public static partial void InformerError(ILogger logger, string resource, string message);

    [LoggerMessage(8, LogLevel.Warning, "Reconcile of {Key} failed (attempt {Failures}, retrying in {Delay}): {Message}")]
    public static partial void ReconcileFailed(ILogger logger, string key, int failures, TimeSpan delay, string message);

    [LoggerMessage(9, LogLevel.Information, "{Key}: {Reason}: {Note}")]
    public static partial void EventRecorded(ILogger logger, string key, string reason, string note);

    [LoggerMessage(13, LogLevel.Information, "{Key}: {Reason} again ({Count} times): {Note}")]
    public static partial void EventRepeated(ILogger logger, string key, string reason, int count, string note);

    [LoggerMessage(10, LogLevel.Warning, "Could not record event {Reason} for {Key}: {Message}")]
    public static partial void EventFailed(ILogger logger, string key, string reason, string message);

    [LoggerMessage(11, LogLevel.Information, "Stopping: releasing the lease")]
    public static partial void Stopping(ILogger logger);

    [LoggerMessage(12, LogLevel.Debug, "Reconciled {Key}: phase {Phase}, epoch {Epoch}")]
    public static partial void Reconciled(ILogger logger, string key, string phase, long epoch);
}
