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
    /// A command whose keys must be on one node (RENAME, COPY, LCS, MSETNX) but have different
    /// owners: Redis Cluster's CROSSSLOT, which clients know, refused before anything runs.
    /// </summary>
    public static RespValue CrossSlot(string name) =>
        RespValue.Error($"CROSSSLOT Keys in request don't hash to the same slot: the keys of '{name}' have different owners in the ring, and it needs them on one node");

    public static readonly RespValue InvalidCursor = RespValue.Error("ERR invalid cursor");

    public static RespValue MalformedNodeReply(string command) => RespValue.Error($"ERR a node sent an unexpected reply to {command}");
}
