namespace KubeCache.ClientContract.Resp;

/// <summary>What a command does on a connection that sent MULTI, on a node and on a router alike.</summary>
public enum TransactionRole
{
    /// <summary>Queued (+QUEUED), and run by EXEC.</summary>
    Queued,

    /// <summary>Runs at once: MULTI, EXEC, DISCARD, WATCH, UNWATCH, QUIT.</summary>
    Immediate,

    /// <summary>Refused, and the transaction then aborts: commands that wait on other nodes or that a router answers itself.</summary>
    Refused,
}
