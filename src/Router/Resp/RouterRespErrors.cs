using KubeCache.ClientContract.Resp;
using KubeCache.Protocol;

namespace KubeCache.Router.Resp;

/// <summary>The error replies only the router gives; those a node gives too are <see cref="RespErrorReplies"/>.</summary>
internal static class RouterRespErrors
{
    public static RespValue UnknownCommand(RespCommand command) => RespValue.Error(RespErrorReplies.UnknownCommand(command));

    public static RespValue WrongArity(string name) => RespValue.Error(RespErrorReplies.WrongArity(name));

    /// <summary>A node that could not answer, or no ring yet: the exception's message already says which and why.</summary>
    public static RespValue From(Exception failure) => RespValue.Error("ERR " + failure.Message);

    public static RespValue Internal(string name) => RespValue.Error($"ERR internal error while running '{name}'");

    /// <summary>
    /// Keys that must be on one node but have different owners: Redis Cluster's CROSSSLOT, which
    /// clients know, refused before anything runs. <paramref name="why"/> says what needed one node.
    /// </summary>
    public static RespValue CrossSlot(string why) => RespValue.Error("CROSSSLOT Keys in request don't hash to the same slot: " + why);

    /// <summary>A transaction (or WATCH) whose keys belong to different nodes.</summary>
    public static readonly RespValue CrossOwner =
        CrossSlot("a transaction through the router runs on one node, so all its keys (watched ones too) must have one owner in the ring");

    /// <summary>A command whose keys must share a node (RENAME, COPY, LCS, MSETNX).</summary>
    public static RespValue CrossOwnerKeys(string name) => CrossSlot($"the keys of '{name}' have different owners in the ring, and it needs them on one node");

    /// <summary>A transaction whose keys had one owner when queued and several by the ring in use at EXEC: nothing of it ran.</summary>
    public static readonly RespValue OwnersChanged = RespValue.Error(
        "TRYAGAIN the ring changed while the transaction was queued and its keys now belong to different nodes; nothing was applied");

    public static RespValue MalformedNodeReply(string command) => RespValue.Error($"ERR a node sent an unexpected reply to {command}");
}
