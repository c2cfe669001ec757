using KubeCache.CacheNode.Storage;
using KubeCache.Protocol;

namespace KubeCache.CacheNode.Resp.Commands;

/// <summary>Commands nodes send each other: KVHANDOFF key value expiresAtUnixMs (DESIGN §4).</summary>
internal sealed class ClusterCommands(CacheStore store)
{
    public static IEnumerable<RespCommandSpec> Specs(CacheStore store)
    {
        var c = new ClusterCommands(store);
        return [new("KVHANDOFF", 4, c.Handoff)];
    }

    /// <summary>
    /// Stores a key handed off by its previous owner if absent and not deleted meanwhile: :1
    /// stored, :0 skipped, <c>-OOM</c> when this node cannot keep it (no free room, or over its
    /// limits), so the sender counts it dropped instead of sent.
    /// </summary>
    private void Handoff(RespSession session)
    {
        RespCommand command = session.Command;
        if (!RespArguments.TryInteger(session, 3, out long expiresAt))
        {
            return;
        }

        if (expiresAt < 0)
        {
            RespErrors.InvalidExpireTime(session, "kvhandoff");
            return;
        }

        StoreStatus status = store.SetFromHandoff(command[1], command[2], expiresAt);
        if (status is StoreStatus.KeyTooLarge or StoreStatus.ValueTooLarge)
        {
            RespErrors.Write(session, "OOM " + StoreStatusMessages.Describe(status, store.Options, command[1].Length, command[2].Length));
        }
        else if (!RespErrors.TryWriteStoreError(session, status, store, command[1].Length, command[2].Length))
        {
            session.Output.Write(status == StoreStatus.Ok ? RespReplies.One : RespReplies.Zero);
        }
    }
}
