using KubeCache.ClientContract.Resp;
using KubeCache.Protocol;
using KubeCache.Router.Routing;
using KubeCache.Router.Upstream;
using KubeCache.Topology;

namespace KubeCache.Router.Resp;

/// <summary>
/// MULTI, EXEC, DISCARD, WATCH and UNWATCH. The router queues a client's commands itself (+QUEUED,
/// or the refusal that makes EXEC abort, a command whose key has another owner included), and EXEC
/// sends MULTI, the commands and EXEC to their one owner as one unit on one connection, so the node
/// runs them as one transaction and nothing else of that connection comes between. A node that no
/// longer owns a key refuses the whole unit (-KVMOVED before EXEC runs anything): the router then
/// catches up its ring and sends the unit again, or, when the client WATCHed, answers EXEC with
/// nil, since the watch was on the previous owner.
/// </summary>
public sealed partial class RouterCommands
{
    private static readonly ReadOnlyMemory<byte> MultiName = "MULTI"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> ExecName = "EXEC"u8.ToArray();

    private IEnumerable<RouterCommandSpec> TransactionCommandSpecs() =>
    [
        new("MULTI", 1, (_, c, _) => ValueTask.FromResult(Multi(c))) { InTransaction = TransactionRole.Immediate },
        new("EXEC", 1, (_, c, t) => Exec(c, t), KeyAccess.WritesAll) { InTransaction = TransactionRole.Immediate },
        new("DISCARD", 1, (_, c, _) => Discard(c)) { InTransaction = TransactionRole.Immediate },
        new("WATCH", -2, Watch, KeyAccess.ReadsKeys) { InTransaction = TransactionRole.Immediate },
        // Queued after MULTI, as Redis does: the node runs it with the rest.
        new("UNWATCH", 1, (_, c, _) => Unwatch(c)) { InTransaction = TransactionRole.Queued },
    ];

    /// <summary>Closes the client's WATCH connection, if any, once what is chained before it is done.</summary>
    public ValueTask ClosedAsync(RespClientState client) =>
        client.Transaction.Watched ? new ValueTask(Unwatch(client).AsTask()) : default;

    private static RespValue Multi(RespClientState client)
    {
        if (client.Transaction.InMulti)
        {
            return TransactionReplies.NestedMulti;
        }

        client.Transaction.InMulti = true;
        return RespValue.Ok;
    }

    private ValueTask<RespValue> Discard(RespClientState client)
    {
        if (!client.Transaction.InMulti)
        {
            return ValueTask.FromResult(TransactionReplies.DiscardWithoutMulti);
        }

        return Unwatch(client);
    }

    /// <summary>UNWATCH, DISCARD: ends the transaction and closes the WATCH connection.</summary>
    private static ValueTask<RespValue> Unwatch(RespClientState client)
    {
        RouterTransaction transaction = client.Transaction;
        bool watched = transaction.Watched;
        transaction.End();
        if (!watched)
        {
            return ValueTask.FromResult(RespValue.Ok);
        }

        return transaction.Then(async () =>
        {
            if (transaction.TakeWatching() is { } watching)
            {
                await watching.DisposeAsync().ConfigureAwait(false);
            }

            return RespValue.Ok;
        });
    }

    /// <summary>A command after MULTI: +QUEUED, or the refusal that makes EXEC abort.</summary>
    private RespValue Queue(RouterCommandSpec spec, RespCommand command, RespClientState client)
    {
        RouterTransaction transaction = client.Transaction;
        RespValue? refusal = spec.InTransaction == TransactionRole.Refused ? TransactionReplies.NotInTransaction(spec.Name)
            : spec.Access == KeyAccess.WritesPairs && command.Count % 2 == 0 ? spec.WrongArity
            : spec.Access != KeyAccess.None && !SameOwner(transaction, command, spec.KeyStride) ? RouterRespErrors.CrossOwner
            : null;
        if (refusal is null)
        {
            ReadOnlyMemory<byte>[] copy = CopyArguments(command);
            long bytes = copy.Sum(a => (long)a.Length);
            if (transaction.Bytes + bytes > _maxTransactionBytes)
            {
                refusal = TransactionReplies.TooLarge(_maxTransactionBytes);
            }
            else
            {
                transaction.Bytes += bytes;
                transaction.Queued.Add((spec, copy));
            }
        }

        transaction.Failed |= refusal is not null;
        return refusal ?? TransactionReplies.Queued;
    }

    /// <summary>Whether the command's keys belong to the transaction's owner (which the first key sets) by the ring in use.</summary>
    private bool SameOwner(RouterTransaction transaction, RespCommand command, int stride)
    {
        Ring ring = _router.CurrentRoutes.Ring;
        for (int i = 1; i < command.Count; i += stride)
        {
            string owner = ring.OwnerOf(command[i]).Name;
            if ((transaction.Owner ??= owner) != owner)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>WATCH key…: on the client's own connection to the keys' owner, opened by the first WATCH.</summary>
    private ValueTask<RespValue> Watch(RespCommand command, RespClientState client, CancellationToken cancellationToken)
    {
        RouterTransaction transaction = client.Transaction;
        if (transaction.InMulti)
        {
            return ValueTask.FromResult(TransactionReplies.WatchInsideMulti);
        }

        if (!SameOwner(transaction, command, stride: 1))
        {
            return ValueTask.FromResult(RouterRespErrors.CrossOwner);
        }

        ReadOnlyMemory<byte>[] watch = CopyArguments(command);
        long bytes = watch.Skip(1).Sum(k => (long)k.Length);
        if (transaction.Bytes + bytes > _maxTransactionBytes)
        {
            return ValueTask.FromResult(TransactionReplies.TooLarge(_maxTransactionBytes));
        }

        transaction.Bytes += bytes;
        transaction.Watched = true;
        RingMember owner = _router.CurrentRoutes.Ring.OwnerOf(command[1]);
        return transaction.Then(async () =>
        {
            transaction.Watching ??= await _table.ClientFor(owner).OpenDedicatedAsync(cancellationToken).ConfigureAwait(false);
            return await transaction.Watching.SendAsync(watch, cancellationToken).ConfigureAwait(false);
        });
    }

    private ValueTask<RespValue> Exec(RespClientState client, CancellationToken cancellationToken)
    {
        RouterTransaction transaction = client.Transaction;
        if (!transaction.InMulti)
        {
            return ValueTask.FromResult(TransactionReplies.ExecWithoutMulti);
        }

        bool failed = transaction.Failed;
        RespProtocol protocol = client.Protocol;
        List<(RouterCommandSpec Spec, ReadOnlyMemory<byte>[] Command)> queued = [.. transaction.Queued];
        bool watched = transaction.Watched;
        transaction.End();
        return transaction.Then(async () =>
        {
            UpstreamConnection? watching = transaction.TakeWatching();
            try
            {
                return failed ? TransactionReplies.ExecAbort
                    : watched && watching is null ? RespValue.NullArray
                    : await ExecAsync(queued, watching, protocol, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                if (watching is not null)
                {
                    await watching.DisposeAsync().ConfigureAwait(false);
                }
            }
        });
    }

    private async Task<RespValue> ExecAsync(
        List<(RouterCommandSpec Spec, ReadOnlyMemory<byte>[] Command)> queued, UpstreamConnection? watching, RespProtocol protocol,
        CancellationToken cancellationToken)
    {
        var unit = new List<IReadOnlyList<ReadOnlyMemory<byte>>>(queued.Count + 2) { new[] { MultiName } };
        unit.AddRange(queued.Select(q => q.Command));
        unit.Add(new[] { ExecName });
        for (int redirects = 0; ; redirects++)
        {
            Routes routes = _router.CurrentRoutes;
            RingMember? owner = OwnerOf(routes.Ring, queued, out bool several);
            if (several)
            {
                return RouterRespErrors.OwnersChanged;
            }

            if (watching is not null && owner is not null && owner.Name != watching.NodeName)
            {
                // The watched keys' owner changed: the watch no longer sees their writes.
                return RespValue.NullArray;
            }

            RespValue replies = watching is not null
                ? await watching.SendAllAsync(unit, cancellationToken).ConfigureAwait(false)
                : await _router.SendAllAsync(owner ?? routes.Ring.Members[0], unit, cancellationToken).ConfigureAwait(false);
            RespValue? redirect = replies.Items.FirstOrDefault(KeyRouter.IsRedirect);
            if (redirect is null)
            {
                RespValue result = replies.Items[^1];
                return result.IsNull ? RespValue.NullArray
                    : result is { Kind: RespValueKind.Array, Items.Count: var count } && count == queued.Count
                        ? RespValue.Array([.. result.Items.Select((reply, i) => queued[i].Spec.Shaped(reply, queued[i].Command.Length, protocol))])
                        : result;
            }

            if (watching is not null)
            {
                return RespValue.NullArray;
            }

            if (redirects == KeyRouter.MaxRedirects)
            {
                return KeyRouter.TooManyRedirects(redirect);
            }

            await _router.CatchUpAsync(owner ?? routes.Ring.Members[0], routes, redirect, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The one owner of every queued key by <paramref name="ring"/> (null when no command has a key); <paramref name="several"/> when they have more than one.</summary>
    private static RingMember? OwnerOf(Ring ring, List<(RouterCommandSpec Spec, ReadOnlyMemory<byte>[] Command)> queued, out bool several)
    {
        RingMember? owner = null;
        several = false;
        foreach ((RouterCommandSpec spec, ReadOnlyMemory<byte>[] command) in queued.Where(q => q.Spec.Access != KeyAccess.None))
        {
            for (int i = 1; i < command.Length; i += spec.KeyStride)
            {
                RingMember member = ring.OwnerOf(command[i].Span);
                several |= owner is not null && owner.Name != member.Name;
                owner ??= member;
            }
        }

        return owner;
    }
}
