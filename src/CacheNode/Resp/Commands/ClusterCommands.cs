using System.Text;
using KubeCache.CacheNode.Cluster;
using KubeCache.CacheNode.Storage;
using KubeCache.ClientContract.Resp;
using KubeCache.Protocol;
using KubeCache.Topology;

namespace KubeCache.CacheNode.Resp.Commands;

/// <summary>
/// Commands routers and nodes send each other (docs/topology.md, "Ownership fencing"): KVRING to
/// read or offer a ring document, KVTAKE for a new owner to take a key, KVHANDOFF for the
/// background handoff.
/// </summary>
internal sealed class ClusterCommands(CacheStore store, NodeRing ring, HandoffService handoff)
{
    public static IEnumerable<RespCommandSpec> Specs(CacheStore store, NodeRing ring, HandoffService handoff)
    {
        var c = new ClusterCommands(store, ring, handoff);
        return
        [
            new("KVRING", -1, c.Ring) { InTransaction = TransactionRole.Refused },
            new("KVTAKE", 4, null, c.TakeAsync) { InTransaction = TransactionRole.Refused },
            new("KVHANDOFF", 5, c.Handoff) { InTransaction = TransactionRole.Refused },
            new("KVDONE", 3, c.Done) { InTransaction = TransactionRole.Refused },
        ];
    }

    /// <summary>KVRING: the ring document in use (nil: none). KVRING json: offers one; answers the epoch in use then.</summary>
    private void Ring(RespSession session)
    {
        RespCommand command = session.Command;
        if (command.Count > 2)
        {
            RespErrors.WrongArity(session, "kvring");
            return;
        }

        if (command.Count == 1)
        {
            if (ring.Current is { } current)
            {
                RespWriter.WriteBulkString(session.Output, current.ToUtf8Json());
            }
            else
            {
                session.WriteNull();
            }

            return;
        }

        RingDocument offered;
        try
        {
            offered = RingDocument.Parse(command[1]);
        }
        catch (RingFormatException e)
        {
            RespErrors.Write(session, "ERR " + e.Message);
            return;
        }

        session.DeclaredFlushes = store.Flushes;
        ring.Offer(offered, fromPeer: true);
        session.DeclaredEpoch = offered.Epoch;
        RespWriter.WriteInteger(session.Output, ring.Current?.Epoch ?? 0);
    }

    /// <summary>
    /// KVTAKE epoch key token: the new owner takes a key that moves to it: [value or nil,
    /// expiresAtUnixMs, 1 when a handoff batch on its way holds a copy, kind as TYPE names it], or
    /// nil; the same token asked again gets the same answer. Only between nodes on the same epoch
    /// (else -KVSTALE, and the one behind catches up), once every write judged by an earlier ring
    /// has landed (see <see cref="HandoffService.Take"/>).
    /// </summary>
    private async ValueTask TakeAsync(RespSession session)
    {
        if (!RespArguments.TryInteger(session, 1, out long epoch))
        {
            return;
        }

        Fence? fence = ring.Fence;
        if (fence is null || fence.Epoch != epoch)
        {
            RespErrors.Write(session, RingProtocol.Stale(fence?.Document));
            return;
        }

        byte[] key = session.Command[2].ToArray();
        if (fence.Judge(key, out _) != Ownership.Moved)
        {
            // Not moving away from here: nothing to hand over.
            session.WriteNull();
            return;
        }

        await fence.Settled.WaitAsync(session.Stopping).ConfigureAwait(false);
        (ReadOnlyMemory<byte>? value, ValueKind kind, long expiresAt, bool inFlight) = handoff.Take(fence, key, Encoding.ASCII.GetString(session.Command[3]));
        if (value is null && !inFlight)
        {
            session.WriteNull();
            return;
        }

        RespWriter.WriteArrayHeader(session.Output, 4);
        if (value is { } bytes)
        {
            RespWriter.WriteBulkString(session.Output, bytes.Span);
        }
        else
        {
            session.WriteNull();
        }

        RespWriter.WriteInteger(session.Output, expiresAt);
        session.Output.Write(inFlight ? RespReplies.One : RespReplies.Zero);
        RespWriter.WriteBulkString(session.Output, ValueKindNames.Of(kind).Span);
    }

    /// <summary>KVDONE epoch name: the previous owner <c>name</c> finished its handoff under this node's epoch (else -KVSTALE).</summary>
    private void Done(RespSession session)
    {
        if (!RespArguments.TryInteger(session, 1, out long epoch))
        {
            return;
        }

        Fence? fence = ring.Fence;
        if (fence is null || fence.Epoch != epoch || !fence.Rebalancing)
        {
            RespErrors.Write(session, RingProtocol.Stale(fence?.Document));
            return;
        }

        fence.HandedOff(System.Text.Encoding.UTF8.GetString(session.Command[2]));
        session.Output.Write(RespReplies.Ok);
    }

    /// <summary>
    /// KVHANDOFF key value expiresAtUnixMs kind: a key (kind as TYPE names it) handed off by its previous owner, stored if absent
    /// (:1 stored, :0 skipped), or <c>-OOM</c> when this node cannot keep it (no free room, or over
    /// its limits), so the sender counts it dropped instead of sent. Only from a peer that declared
    /// this node's epoch with KVRING, while that ring rebalances and gives the key to this node;
    /// else -KVSTALE. Not once this node was flushed since that KVRING (-KVFLUSHED).
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

        if (!ValueKindNames.TryParse(command[4], out ValueKind kind))
        {
            RespErrors.Syntax(session);
            return;
        }

        if (store.Flushes != session.DeclaredFlushes)
        {
            RespErrors.Write(session, RingProtocol.Flushed);
            return;
        }

        // The store checks the flush count again as it stores: a flush between here and there skips the copy (:0).
        StoreStatus? stored = ring.StoreHandedOff(session.DeclaredEpoch, command[1], () => store.SetFromHandoff(command[1], command[2], kind, expiresAt, session.DeclaredFlushes));
        if (stored is not { } status)
        {
            RespErrors.Write(session, RingProtocol.Stale(ring.Fence?.Document));
            return;
        }

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
