using KubeCache.Protocol;

namespace KubeCache.ClientContract.Resp;

/// <summary>
/// The replies of MULTI, EXEC, DISCARD and WATCH that nodes and routers both give, in Redis's
/// wording, so clients that match on them (every client library does) cannot tell the two apart.
/// </summary>
public static class TransactionReplies
{
    public static RespValue Queued { get; } = RespValue.SimpleString("QUEUED");

    public static RespValue NestedMulti { get; } = RespValue.Error("ERR MULTI calls can not be nested");

    public static RespValue ExecWithoutMulti { get; } = RespValue.Error("ERR EXEC without MULTI");

    public static RespValue DiscardWithoutMulti { get; } = RespValue.Error("ERR DISCARD without MULTI");

    public static RespValue WatchInsideMulti { get; } = RespValue.Error("ERR WATCH inside MULTI is not allowed");

    /// <summary>EXEC after a queued command was refused: nothing of the transaction runs.</summary>
    public static RespValue ExecAbort { get; } = RespValue.Error("EXECABORT Transaction discarded because of previous errors.");

    /// <summary>A command that cannot run inside a transaction (it waits on other nodes or on the network).</summary>
    public static RespValue NotInTransaction(string name) =>
        RespValue.Error($"ERR '{name.ToLowerInvariant()}' cannot run inside MULTI on KubeCache; send it outside the transaction");

    /// <summary>A transaction whose queued commands and watched keys pass --resp-max-transaction-bytes.</summary>
    public static RespValue TooLarge(long limit) =>
        RespValue.Error($"ERR the transaction's queued commands and watched keys exceed --resp-max-transaction-bytes ({limit} bytes); send smaller transactions or raise the limit");
}
