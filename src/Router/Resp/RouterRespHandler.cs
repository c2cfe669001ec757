using System.Buffers;
using System.IO.Pipelines;
using KubeCache.Hosting.Limits;
using KubeCache.Hosting.Resp;
using KubeCache.Protocol;
using KubeCache.Router.Options;
using KubeCache.Router.Routing;
using KubeCache.Security.Resp;
using Microsoft.AspNetCore.Connections;

namespace KubeCache.Router.Resp;

/// <summary>
/// Serves one client RESP connection on a router: starts each command's forwarding as it is read
/// (so a pipeline reaches the nodes as a pipeline), then writes the replies in request order, on
/// the event loop's thread as they come (the connection reads nothing more while one is owed), or
/// from the connection's pipes, flushed once per batch. Commands on a key that an unanswered
/// command reads or writes wait for it first (<see cref="PipelineOrder"/>). Replies are flushed part-way once more
/// than --resp-output-buffer-bytes wait, so a client that does not read holds at most that much
/// (plus one reply) in the router's memory.
/// </summary>
/// <remarks>
/// Forwarded commands get no cancellation token: a request in flight ends with its reply or with
/// its upstream connection, which the router closes when it stops, and a token would cost a
/// registration per request.
/// </remarks>
public sealed class RouterRespHandler(
    RouterCommands commands, RespAuthGate auth, IHostApplicationLifetime lifetime, RouterOptions options, ServerLimits limits, ILoggerFactory loggers)
    : RespConnectionLoop<RespClientState>(options, auth, limits, lifetime, loggers)
{
    /// <summary>Commands started per batch before their replies are awaited; bounds memory per connection.</summary>
    private const int MaxInFlight = 1024;

    protected override RespClientState Open(ConnectionContext connection) =>
        new(connection.Transport) { AuthRequired = AuthEnabled, Authenticated = !AuthEnabled };

    protected override bool IsFull(RespClientState client) => client.Pending.Count >= MaxInFlight;

    protected override bool ServesInline => true;

    protected override bool TryRunAtOnce(RespClientState client)
    {
        RespCommand command = client.Command;
        RouterCommandSpec? spec = commands.Find(command[0]);
        if (client.Order.MustWait(spec, command))
        {
            return false;
        }

        client.Closing = command.NameIs("QUIT"u8);
        Start(client, spec);
        return true;
    }

    /// <summary>The only command <see cref="TryRunAtOnce"/> refuses is one that must wait for the replies owed (<see cref="PipelineOrder"/>), which clears once they are all written.</summary>
    protected override bool WaitsForOwed(RespClientState client) => true;

    protected override InlineReply WriteNextOwed(RespClientState client, Action resume)
    {
        Task<RespValue>? waiting = WriteNext(client, out bool done);
        if (waiting is not null)
        {
            waiting.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(resume);
            return InlineReply.Owed;
        }

        return done ? InlineReply.None : InlineReply.Written;
    }

    protected override void WriteRepliesTo(RespClientState client, IBufferWriter<byte>? inline) => client.Replies = inline ?? client.Output;

    /// <summary>Every command the pipes run would have run on the loop: one that waits for the replies before it waits there too.</summary>
    protected override bool MayHaveWaited(RespClientState client) => false;

    protected override ValueTask ExecuteAsync(RespClientState client)
    {
        RespCommand command = client.Command;
        client.Closing = command.NameIs("QUIT"u8);
        RouterCommandSpec? spec = commands.Find(command[0]);
        if (!client.Order.MustWait(spec, command))
        {
            Start(client, spec);
            return default;
        }

        return WaitThenStartAsync(client, spec);
    }

    protected override void Reply(RespClientState client, RespValue reply) => client.Pending.Add(new PendingReply(ValueTask.FromResult(reply), client.Protocol));

    protected override Task? NextWait(RespClientState client) => WriteReplies(client);

    protected override async ValueTask EndBatchAsync(RespClientState client)
    {
        await client.Output.FlushAsync().ConfigureAwait(false);

        // A reply that had to be waited for resumed this batch on the read loop of the upstream
        // connection that completed it. A client whose next batch has already arrived reads it on
        // a thread of its own, so one client's backlog never holds up that connection's other replies.
        if (client.TakeWaited() && client.HasInput())
        {
            await Task.Yield();
        }
    }

    protected override ValueTask ClosedAsync(RespClientState client) => commands.ClosedAsync(client);

    private void Start(RespClientState client, RouterCommandSpec? spec)
    {
        client.Order.Add(spec, client.Command);
        client.Pending.Add(commands.Start(spec, client.Command, client, CancellationToken.None));
    }

    /// <summary>Writes the replies the command depends on first; its arguments still point into the unreleased input, so they survive the wait.</summary>
    private async ValueTask WaitThenStartAsync(RespClientState client, RouterCommandSpec? spec)
    {
        while (WriteReplies(client) is { } waiting)
        {
            await waiting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        Start(client, spec);
    }

    /// <summary>
    /// Writes the batch's replies from the first not yet written, until one is still to come;
    /// returns that one's task, or a part-way flush's, to be awaited before calling again, or null
    /// once all are written and the batch is cleared. No state machine of its own: the
    /// connection's loop awaits what this returns.
    /// </summary>
    private Task? WriteReplies(RespClientState client)
    {
        PipeWriter output = client.Output;
        while (true)
        {
            Task<RespValue>? waiting = WriteNext(client, out bool done);
            if (waiting is not null)
            {
                client.Waited = true;
                return waiting;
            }

            if (done)
            {
                return null;
            }

            if (output.UnflushedBytes > options.RespOutputBufferBytes)
            {
                ValueTask<FlushResult> flushing = output.FlushAsync();
                if (!flushing.IsCompleted)
                {
                    return flushing.AsTask();
                }

                // Consumed as an await would: a pipe's flush completes its own state there, and a cancelled one throws.
                flushing.GetAwaiter().GetResult();
            }
        }
    }

    /// <summary>
    /// Writes the first reply of the batch not yet written to <see cref="RespClientState.Replies"/>
    /// when it is there, followed (a forwarded command's redirect) and finished (shaped, counted),
    /// and returns null; returns the task it is still to come from otherwise. With every reply
    /// written it clears the batch and says so (<paramref name="done"/>).
    /// </summary>
    private Task<RespValue>? WriteNext(RespClientState client, out bool done)
    {
        List<PendingReply> pending = client.Pending;
        done = false;
        while (client.Written < pending.Count)
        {
            int i = client.Written;
            ValueTask<RespValue> awaiting = pending[i].Reply;
            if (!awaiting.IsCompleted)
            {
                // A ValueTask is consumed once: the task read now (no allocation when it is one) is what the reply is read from next time.
                Task<RespValue> task = awaiting.AsTask();
                pending[i] = pending[i] with { Reply = new ValueTask<RespValue>(task) };
                return task;
            }

            RespValue? reply = null;
            Exception? failure = null;
            try
            {
                reply = awaiting.Result;
            }
            catch (Exception e) when (pending[i].Spec is not null && e is not (OutOfMemoryException or OperationCanceledException))
            {
                failure = e;
            }

            if (pending[i].Forwarded is { } forwarded && KeyRouter.MustFollow(reply, failure))
            {
                // Its outcome is read on the next turn, at once when it is there.
                pending[i] = pending[i] with { Reply = commands.FollowAsync(forwarded, reply, failure), Forwarded = null };
                continue;
            }

            RespWriter.WriteValue(client.Replies, failure is null ? Finished(pending[i], reply!) : commands.Finish(pending[i], failure), pending[i].Protocol);
            client.Written++;
            return null;
        }

        pending.Clear();
        client.Written = 0;
        client.Order.Clear();
        done = true;
        return null;
    }

    private RespValue Finished(in PendingReply pending, RespValue reply) => pending.Spec is null ? reply : commands.Finish(pending, reply);
}
