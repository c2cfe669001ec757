namespace KubeCache.Security.Resp;

/// <summary>What the connection loop does with a command after <see cref="RespAuthGate.Check"/>.</summary>
public enum RespAuthStep
{
    /// <summary>Run the command as usual.</summary>
    Run,

    /// <summary>Send the gate's reply instead of running the command.</summary>
    Reply,

    /// <summary>Send the gate's reply and close the connection (the client is over the failure limit).</summary>
    ReplyAndClose,
}
