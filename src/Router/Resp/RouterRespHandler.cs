using System.IO.Pipelines;
using KubeCache.Hosting.Limits;
using KubeCache.Hosting.Resp;
using KubeCache.Protocol;
using KubeCache.Router.Routing;
using KubeCache.Router.Options;
using KubeCache.Security.Resp;
using Microsoft.AspNetCore.Connections;

namespace KubeCache.Router.Resp;

/// <summary>
/// Serves one client RESP connection on a router: starts each command's forwarding as it is read
/// (so a pipeline reaches the nodes as a pipeline), then writes the replies in request order and
/// flushes once per batch. Commands on a key that an unanswered command of the batch reads or
/// writes wait for it first (<see cref="PipelineOrder"/>). Replies are flushed part-way once more
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
        new(connection.Transport) { AuthRequired = AuthEnabled, Authenticated = !AuthEnabled, Closed = connection.ConnectionClosed };

    protected override bool IsFull(RespClientState client) => client.Pending.Count >= MaxInFlight;

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

    protected override async ValueTask EndBatchAsync(RespClientState client, CancellationToken closed)
    {
        bool waited = await WriteRepliesAsync(client, closed).ConfigureAwait(false);
        await client.Output.FlushAsync(closed).ConfigureAwait(false);

        // A reply that had to be waited for resumed this batch on the read loop of the upstream
        // connection that completed it. A client whose next batch has already arrived reads it on
        // a thread of its own, so one client's backlog never holds up that connection's other replies.
        if (waited && client.HasInput())
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
        await WriteRepliesAsync(client, client.Closed).ConfigureAwait(false);
        Start(client, spec);
    }

    /// <returns>Whether any reply had to be waited for.</returns>
    /// <remarks>
    /// Indexes the list rather than enumerating it and keeps no reply struct across the await: the
    /// state machine would copy each into its heap box, a struct copy with GC barriers per reply.
    /// </remarks>
    private async ValueTask<bool> WriteRepliesAsync(RespClientState client, CancellationToken closed)
    {
        PipeWriter output = client.Output;
        List<PendingReply> pending = client.Pending;
        bool waited = false;
        for (int i = 0; i < pending.Count; i++)
        {
            ValueTask<RespValue> awaiting = pending[i].Reply;
            waited |= !awaiting.IsCompleted;

            // Followed and finished here, when its command left that to the writer: awaited in
            // this loop, a command costs no await of its own.
            RespValue? reply = null;
            Exception? failure = null;
            try
            {
                reply = await awaiting.ConfigureAwait(false);
            }
            catch (Exception e) when (pending[i].Spec is not null && e is not (OutOfMemoryException or OperationCanceledException))
            {
                failure = e;
            }

            if (pending[i].Forwarded is { } forwarded && KeyRouter.MustFollow(reply, failure))
            {
                try
                {
                    reply = await commands.FollowAsync(forwarded, reply, failure).ConfigureAwait(false);
                    failure = null;
                }
                catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
                {
                    failure = e;
                }
            }

            reply = failure is null ? Finished(pending[i], reply!) : commands.Finish(pending[i], failure);
            RespWriter.WriteValue(output, reply, pending[i].Protocol);
            if (output.UnflushedBytes > options.RespOutputBufferBytes)
            {
                await output.FlushAsync(closed).ConfigureAwait(false);
            }
        }

        pending.Clear();
        client.Order.Clear();
        return waited;
    }

    private RespValue Finished(in PendingReply pending, RespValue reply) => pending.Spec is null ? reply : commands.Finish(pending, reply);
}
