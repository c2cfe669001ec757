using KubeCache.CacheNode.Cluster;
using KubeCache.ClientContract.Resp;
using KubeCache.Protocol;
using KubeCache.Topology;

namespace KubeCache.CacheNode.Resp;

/// <summary>
/// MULTI, EXEC, DISCARD, WATCH and UNWATCH with Redis's semantics. EXEC judges every queued key by
/// the ring first (one that moved away aborts the whole transaction with the redirect; keys moving
/// here are taken first), then holds the locks of every shard the transaction touches while it
/// checks its WATCHes and runs the commands, so no other client's command lands between them.
/// </summary>
public sealed partial class RespCommandTable
{
    /// <summary>Queued commands are read back with these: they passed the connection's own limits once already.</summary>
    private static readonly RespLimits s_replayLimits = new() { MaxBulkBytes = Array.MaxLength, MaxArrayLength = int.MaxValue };

    private readonly WatchedKeys _watches;
    private readonly long _maxTransactionBytes;

    private IEnumerable<RespCommandSpec> TransactionSpecs() =>
    [
        new("MULTI", 1, Multi) { InTransaction = TransactionRole.Immediate },
        new("EXEC", 1, null, ExecAsync) { InTransaction = TransactionRole.Immediate },
        new("DISCARD", 1, Discard) { InTransaction = TransactionRole.Immediate },
        new("WATCH", -2, Watch) { Keys = KeyLayout.All, ReadOnly = true, InTransaction = TransactionRole.Immediate },
        // Queued after MULTI, as Redis does.
        new("UNWATCH", 1, s => Reply(s, Unwatch(s))),
    ];

    /// <summary>Forgets what the connection watches (UNWATCH, EXEC, DISCARD, a closed connection).</summary>
    public RespValue Unwatch(RespSession session)
    {
        _watches.Unwatch(session, session.Transaction.Watched.Select(w => w.Key));
        session.Transaction.ClearWatched();
        session.WatchTouched = false;
        return RespValue.Ok;
    }

    private static void Reply(RespSession session, RespValue reply)
    {
        session.ErrorWritten |= reply.IsError;
        session.Write(reply);
    }

    /// <summary>A command refused after MULTI makes EXEC abort.</summary>
    private static void FailTransaction(RespSession session) => session.Transaction.Failed |= session.Transaction.InMulti;

    private void Multi(RespSession session)
    {
        if (session.Transaction.InMulti)
        {
            Reply(session, TransactionReplies.NestedMulti);
            return;
        }

        session.Transaction.Begin();
        Reply(session, RespValue.Ok);
    }

    private void Discard(RespSession session)
    {
        if (!session.Transaction.InMulti)
        {
            Reply(session, TransactionReplies.DiscardWithoutMulti);
            return;
        }

        session.Transaction.EndMulti();
        Reply(session, Unwatch(session));
    }

    private void Watch(RespSession session)
    {
        if (session.Transaction.InMulti)
        {
            Reply(session, TransactionReplies.WatchInsideMulti);
            return;
        }

        RespCommand command = session.Command;
        for (int i = 1; i < command.Count; i++)
        {
            byte[] key = command[i].ToArray();
            if (!session.Transaction.TryWatch(key, _store.Exists(key), _maxTransactionBytes))
            {
                Reply(session, TransactionReplies.TooLarge(_maxTransactionBytes));
                return;
            }

            _watches.Watch(session, key);
        }

        Reply(session, RespValue.Ok);
    }

    /// <summary>Queues a command after MULTI (+QUEUED), or refuses it, which makes EXEC abort.</summary>
    private void Queue(RespCommandSpec spec, RespSession session)
    {
        RespValue? refusal = spec.InTransaction == TransactionRole.Refused ? TransactionReplies.NotInTransaction(spec.Name)
            : MovedKey(spec, session.Command, _ring.Fence) is { } moved ? moved
            : !session.Transaction.TryQueue(spec, session.Command, _maxTransactionBytes) ? TransactionReplies.TooLarge(_maxTransactionBytes)
            : null;
        if (refusal is not null)
        {
            session.Transaction.Failed = true;
        }

        Reply(session, refusal ?? TransactionReplies.Queued);
        session.CommandStarted = spec.Series!.Record(refusal is null, session.CommandStarted);
    }

    /// <summary>The redirect for the first of the command's keys that another member owns, or null.</summary>
    private RespValue? MovedKey(RespCommandSpec spec, RespCommand command, Fence? fence)
    {
        if (fence is null || fence.OwnsAll)
        {
            return null;
        }

        (int first, int last, int stride) = spec.KeyRange(command.Count);
        for (int i = first; i <= last; i += stride)
        {
            if (fence.Judge(command[i], out RingMember? other) == Ownership.Moved)
            {
                return RespValue.Error(RingProtocol.Moved(fence.Epoch, other!));
            }
        }

        return null;
    }

    private async ValueTask ExecAsync(RespSession session)
    {
        RespTransaction transaction = session.Transaction;
        if (!transaction.InMulti)
        {
            Reply(session, TransactionReplies.ExecWithoutMulti);
            return;
        }

        if (transaction.Failed)
        {
            End(session);
            Reply(session, TransactionReplies.ExecAbort);
            return;
        }

        List<(RespCommandSpec Spec, RespCommand Command)> queued = Replay(transaction);
        try
        {
            if (await SettleKeysAsync(session, queued).ConfigureAwait(false) is { } refusal)
            {
                End(session);
                Reply(session, refusal);
                return;
            }

            RunQueued(session, queued);
        }
        finally
        {
            foreach ((_, RespCommand command) in queued)
            {
                command.Dispose();
            }
        }
    }

    private static List<(RespCommandSpec, RespCommand)> Replay(RespTransaction transaction)
    {
        var queued = new List<(RespCommandSpec, RespCommand)>(transaction.Queued.Count);
        foreach ((RespCommandSpec spec, byte[] frame) in transaction.Queued)
        {
            var command = new RespCommand();
            var buffer = new System.Buffers.ReadOnlySequence<byte>(frame);
            RespCommandReader.TryRead(ref buffer, s_replayLimits, command, out _);
            queued.Add((spec, command));
        }

        return queued;
    }

    /// <summary>
    /// Enters the ring gate with every queued key owned here, taking the keys moving here from their
    /// previous owner first. Returns null then (still inside the gate), or the error that aborts
    /// the transaction: the redirect for a key owned elsewhere, or -TRYAGAIN when a take failed.
    /// </summary>
    private async ValueTask<RespValue?> SettleKeysAsync(RespSession session, List<(RespCommandSpec Spec, RespCommand Command)> queued)
    {
        while (true)
        {
            session.EnterGate(_ring.Gate);
            Fence? fence = _ring.Fence;
            if (fence is null || fence.OwnsAll)
            {
                return null;
            }

            List<(byte[] Key, RingMember From)>? pulls = null;
            foreach ((RespCommandSpec spec, RespCommand command) in queued)
            {
                (int first, int last, int stride) = spec.KeyRange(command.Count);
                for (int i = first; i <= last; i += stride)
                {
                    switch (fence.JudgeFor(command[i], _store, writes: !spec.ReadOnly, out RingMember? other))
                    {
                        case Ownership.Moved:
                            return RespValue.Error(RingProtocol.Moved(fence.Epoch, other!));
                        case Ownership.MovingHere:
                            (pulls ??= []).Add((command[i].ToArray(), other!));
                            break;
                    }
                }
            }

            if (pulls is null)
            {
                return null;
            }

            // No write waits on the network inside the gate: a ring change would wait for it.
            session.LeaveGate();
            try
            {
                await _puller.PullAsync(fence, pulls, session.Stopping).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                return RespValue.Error("TRYAGAIN " + e.Message);
            }

            session.EnterGate(_ring.Gate);
            if (_ring.Fence == fence)
            {
                return null;
            }
        }
    }

    /// <summary>Checks the WATCHes and runs the queued commands, holding the locks of every shard they touch.</summary>
    private void RunQueued(RespSession session, List<(RespCommandSpec Spec, RespCommand Command)> queued)
    {
        RespTransaction transaction = session.Transaction;
        using (_store.LockShards(TouchedKeys(transaction, queued)))
        {
            bool changed = session.WatchTouched || transaction.Watched.Any(w => _store.Exists(w.Key) != w.Existed);
            End(session);
            if (changed)
            {
                RespWriter.WriteNullArray(session.Output, session.Protocol);
                return;
            }

            RespWriter.WriteArrayHeader(session.Output, queued.Count);
            foreach ((RespCommandSpec spec, RespCommand command) in queued)
            {
                session.RunQueued(command, () => RunInExec(spec, session));
            }
        }

        // EXEC itself succeeded, whatever its commands answered.
        session.ErrorWritten = false;
    }

    /// <summary>The keys whose shards a transaction locks: its commands' and its watched keys; null (every shard) when a command has no key.</summary>
    private static List<byte[]>? TouchedKeys(RespTransaction transaction, List<(RespCommandSpec Spec, RespCommand Command)> queued)
    {
        var keys = transaction.Watched.Select(w => w.Key).ToList();
        foreach ((RespCommandSpec spec, RespCommand command) in queued)
        {
            if (spec.Keys == KeyLayout.None)
            {
                return null;
            }

            (int first, int last, int stride) = spec.KeyRange(command.Count);
            for (int i = first; i <= last; i += stride)
            {
                keys.Add(command[i].ToArray());
            }
        }

        return keys;
    }

    /// <summary>Runs one queued command to completion on this thread (the shard locks are held): its reply cannot flush part-way.</summary>
    private void RunInExec(RespCommandSpec spec, RespSession session)
    {
        session.ErrorWritten = false;
        try
        {
            Touch(spec, session.Command);
            if (spec.AsyncHandler is null)
            {
                spec.Handler!(session);
            }
            else
            {
                spec.AsyncHandler(session).AsTask().GetAwaiter().GetResult();
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Fail(session, spec, e);
        }

        session.CommandStarted = spec.Series!.Record(!session.ErrorWritten, session.CommandStarted);
    }

    /// <summary>Marks the connections watching what the command is about to write.</summary>
    private void Touch(RespCommandSpec spec, RespCommand command)
    {
        if (spec.WritesAll)
        {
            _watches.TouchAll();
            return;
        }

        if (spec.ReadOnly)
        {
            return;
        }

        (int first, int last, int stride) = spec.KeyRange(command.Count);
        for (int i = first; i <= last; i += stride)
        {
            _watches.Touch(command[i]);
        }
    }

    /// <summary>Ends the transaction: the queue is dropped and nothing is watched any more.</summary>
    private void End(RespSession session)
    {
        session.Transaction.EndMulti();
        Unwatch(session);
    }
}
