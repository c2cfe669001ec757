using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using KubeCache.Hosting.Auth;
using KubeCache.Hosting.Limits;
using KubeCache.Hosting.Options;
using KubeCache.Hosting.Transport;
using KubeCache.Protocol;
using KubeCache.Security.Resp;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KubeCache.Hosting.Resp;

/// <summary>
/// Serves one RESP connection, the same way in every process: reads every complete command in
/// the input (within --resp-max-bulk-bytes and --resp-max-array-length, or the smaller
/// pre-authentication bounds), runs the authentication rules, hands each command to the process
/// and lets it end the batch (write and flush the replies once). A process that serves inline
/// (<see cref="ServesInline"/>) has its commands run on the event-loop transport's thread as
/// they arrive, with no pipe or task between (<see cref="IInlineServingFeature"/>); a reply not
/// there at once (a router's, from a node) is owed, and the connection reads nothing more until it
/// comes (<see cref="WriteNextOwed"/>). That lasts until a command must wait for something else,
/// a frame over 64 KiB arrives in parts, or the client does not take its replies: from then on, and on
/// other transports, from the connection's pipes, and back on the loop after batches from the pipes
/// whose commands all would have been answered at once (<see cref="MayHaveWaited"/>, <see cref="InlineReturn"/>). A malformed frame gets
/// <c>-ERR Protocol error…</c> and the connection closes. When the server drains
/// (<see cref="ShutdownDrain"/>) the connection closes between batches: the batch being served
/// and the commands already received are answered first, since RESP, unlike HTTP's
/// <c>Connection: close</c>, has no way to tell a client to stop sending.
/// </summary>
/// <typeparam name="TConnection">The process's per-connection state.</typeparam>
public abstract class RespConnectionLoop<TConnection>(
    ServerOptions options, RespAuthGate auth, ServerLimits limits, IHostApplicationLifetime lifetime, ILoggerFactory loggers)
    where TConnection : IRespConnection
{
    private readonly RespAuthLimits _limits = new(options.RespLimits, options.Security);
    private readonly int _outputBufferBytes = options.RespOutputBufferBytes;
    private readonly ILogger _logger = loggers.CreateLogger(typeof(RespConnectionLoop<>).Namespace!);

    /// <summary>Whether clients must authenticate (a keys file is configured).</summary>
    protected bool AuthEnabled => auth.Enabled;

    public async Task HandleAsync(ConnectionContext connection)
    {
        using TConnection client = Open(connection);
        IPAddress? remote = (connection.RemoteEndPoint as IPEndPoint)?.Address;
        PipeReader input = connection.Transport.Input;
        // Kestrel asks every connection to close once it stops accepting; a server without that feature closes on stop.
        CancellationToken draining = connection.Features.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested ?? lifetime.ApplicationStopping;
        IInlineServingFeature? inline = ServesInline ? connection.Features.Get<IInlineServingFeature>() : null;
        bool serveInline = inline is not null;
        InlineReturn? returning = inline is null ? null : new InlineReturn();
        try
        {
            while (!client.Closing)
            {
                if (serveInline && !draining.IsCancellationRequested)
                {
                    serveInline = false;
                    returning!.Left(await ServeInlineAsync(inline!, client, remote, connection, draining).ConfigureAwait(false));

                    // Replies still owed are written after those the socket did not take, which went to the
                    // output pipe; they go out here, under the output deadline.
                    while (NextWait(client) is { } owed)
                    {
                        await owed.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                    }

                    await EndBatchAsync(client).ConfigureAwait(false);
                    continue;
                }

                ReadResult result;
                if (!draining.IsCancellationRequested)
                {
                    result = await input.ReadAsync(draining).ConfigureAwait(false);
                }
                else if (!input.TryRead(out result))
                {
                    break;
                }

                ReadOnlySequence<byte> buffer = result.Buffer;
                bool full = false;
                bool servedAll = false;
                BatchStarted(client);
                try
                {
                    while (!client.Closing && !(full = IsFull(client)))
                    {
                        RespReadStatus status = RespCommandReader.TryRead(ref buffer, _limits.For(client.Authenticated), client.Command, out RespReadError error);
                        if (status == RespReadStatus.Incomplete)
                        {
                            break;
                        }

                        if (status == RespReadStatus.ProtocolError)
                        {
                            string problem = RespAuthLimits.Refuse(error, client.Authenticated, limits.Metrics);
                            Log.ProtocolError(_logger, connection.ConnectionId, problem);
                            Reply(client, RespValue.Error("ERR " + problem));
                            client.Closing = true;
                            break;
                        }

                        if (client.AuthRequired && Gate(client, remote))
                        {
                            continue;
                        }

                        ValueTask running = ExecuteAsync(client);
                        if (!running.IsCompletedSuccessfully)
                        {
                            await running.ConfigureAwait(false);
                        }
                    }
                }
                finally
                {
                    BatchRead(client);
                    servedAll = buffer.IsEmpty;

                    // Stopped for the in-flight limit: what is left is complete commands, so the next read must not wait for more.
                    if (full)
                    {
                        input.AdvanceTo(buffer.Start);
                    }
                    else
                    {
                        input.AdvanceTo(buffer.Start, buffer.End);
                    }
                }

                // Awaited here, where the state machine lives as long as the connection, a wait for
                // a reply allocates nothing; an await in a method of its own would, per batch.
                while (NextWait(client) is { } waiting)
                {
                    await waiting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }

                // Replies still go out while draining; the drain timeout aborts the connection, which ends a stuck flush.
                await EndBatchAsync(client).ConfigureAwait(false);
                if (result.IsCompleted && !full)
                {
                    break;
                }

                // Batches whose commands all would have run at once, with nothing of them left over, send the connection back to its loop.
                serveInline = returning?.BatchServed(servedAll && !MayHaveWaited(client)) == true;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ConnectionResetException or ConnectionAbortedException)
        {
            // The client went away or the process is shutting down: nothing is owed to anyone.
        }
        finally
        {
            await ClosedAsync(client).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Serves the connection on its transport's loop until a command may wait, a frame over 64 KiB
    /// arrives in parts, the input ends, the client does not take its replies, or the server drains; what is
    /// left (input and replies) is then in the connection's pipes. Returns the commands run there.
    /// </summary>
    private async Task<int> ServeInlineAsync(IInlineServingFeature inline, TConnection client, IPAddress? remote, ConnectionContext connection, CancellationToken draining)
    {
        var deadline = connection.Transport.Input as GuardedInput;
        var commands = new InlineCommands(this, client, remote, deadline, inline.ResumeInline);
        await limits.ServeInlineAsync(inline, commands, deadline, draining, resp: true).ConfigureAwait(false);
        WriteRepliesTo(client, null);
        return commands.Ran;
    }

    /// <summary>Whether the process's commands may be answered on the transport's loop (<see cref="TryRunAtOnce"/>); false by default.</summary>
    protected virtual bool ServesInline => false;

    /// <summary>
    /// Runs (or starts) the command in <see cref="IRespConnection.Command"/> when nothing in it can
    /// wait for anything but its own reply, and returns true (its reply written, or owed:
    /// <see cref="WriteNextOwed"/>); returns false, having done nothing, when it may (the pipes then
    /// run it with <see cref="ExecuteAsync"/>). Asked only when <see cref="ServesInline"/>.
    /// </summary>
    protected virtual bool TryRunAtOnce(TConnection client) => false;

    /// <summary>
    /// Whether a command of the batch just served from the pipes was one <see cref="TryRunAtOnce"/>
    /// would have refused; batches without one, each consumed whole, send the connection back to the
    /// transport's loop (<see cref="InlineReturn"/>). Asked only when <see cref="ServesInline"/>.
    /// </summary>
    protected virtual bool MayHaveWaited(TConnection client) => true;

    /// <summary>
    /// On the transport's loop: writes the next reply owed by commands started before, when it is
    /// there (<see cref="InlineReply.Written"/>); when it is not, arranges for
    /// <paramref name="resume"/> to be called once it is (<see cref="InlineReply.Owed"/>: the
    /// connection reads nothing more until then); <see cref="InlineReply.None"/> when nothing is
    /// owed. By default <see cref="TryRunAtOnce"/> answers every command it runs, so nothing is.
    /// </summary>
    protected virtual InlineReply WriteNextOwed(TConnection client, Action resume) => InlineReply.None;

    /// <summary>
    /// Whether the command <see cref="TryRunAtOnce"/> just refused waits only for the replies owed
    /// before it (<see cref="WriteNextOwed"/>): it then runs on the loop once they are written,
    /// instead of on the pipes. It must then run once nothing is owed. False by default.
    /// </summary>
    protected virtual bool WaitsForOwed(TConnection client) => false;

    /// <summary>Points the connection's replies at <paramref name="inline"/> (the transport loop's buffer), or back at its output pipe with null.</summary>
    protected virtual void WriteRepliesTo(TConnection client, IBufferWriter<byte>? inline)
    {
    }

    /// <summary>Creates the state of a new connection.</summary>
    protected abstract TConnection Open(ConnectionContext connection);

    /// <summary>Runs (or starts) the command in <see cref="IRespConnection.Command"/>; its reply is written by the end of the batch.</summary>
    protected abstract ValueTask ExecuteAsync(TConnection client);

    /// <summary>Queues a reply the loop itself gives (authentication, protocol errors) in order with the commands' replies.</summary>
    protected abstract void Reply(TConnection client, RespValue reply);

    /// <summary>
    /// Writes what of the batch's replies is there, in order, and returns what the next one waits
    /// for (a task, whose outcome the process reads on the next call: the loop never throws it),
    /// or null once every reply is written. The loop calls it until null, after the input is
    /// released and before <see cref="EndBatchAsync"/>. By default nothing is owed.
    /// </summary>
    protected virtual Task? NextWait(TConnection client) => null;

    /// <summary>
    /// Flushes what the batch owes (written by then); runs after the input is released. The flush
    /// takes no cancellation: a client that half-closed after its commands is still owed their
    /// replies (the transport's <c>ConnectionClosed</c> fires at its FIN), and a flush stuck on a
    /// client that does not read ends when the output deadline or the drain's end aborts the
    /// connection, which completes its output.
    /// </summary>
    protected abstract ValueTask EndBatchAsync(TConnection client);

    /// <summary>Called as each read's batch begins.</summary>
    protected virtual void BatchStarted(TConnection client)
    {
    }

    /// <summary>Called when the batch's commands are read (or reading stopped), before the input is released.</summary>
    protected virtual void BatchRead(TConnection client)
    {
    }

    /// <summary>True when no more commands of this batch may start before the ones started are answered.</summary>
    protected virtual bool IsFull(TConnection client) => false;

    /// <summary>Called once the connection has closed, before its state is disposed.</summary>
    protected virtual ValueTask ClosedAsync(TConnection client) => default;

    /// <summary>
    /// The commands of one connection answered on its transport's loop: each complete command that
    /// runs at once is run there, in order, and the replies owed by commands started before are
    /// written first; while one is still to come, the rest waits (<see cref="InlineNext.Suspend"/>),
    /// as it does once the process holds as many as it allows (<see cref="IsFull"/>) or a command
    /// waits for them (<see cref="WaitsForOwed"/>). A frame not yet complete waits for the rest (the
    /// transport keeps it) under the request deadline, as the guarded input's would; the first
    /// command that may wait, or a malformed frame, is left unconsumed, and the connection leaves
    /// for its pipes, which read it again.
    /// </summary>
    private sealed class InlineCommands(RespConnectionLoop<TConnection> loop, TConnection client, IPAddress? remote, GuardedInput? deadline, Action resume) : IInlineProtocol
    {
        /// <summary>Commands run (or answered by the authentication rules) so far.</summary>
        public int Ran { get; private set; }

        public int Serve(ReadOnlyMemory<byte> input, InlineOutput output, out InlineNext next)
        {
            var buffer = new ReadOnlySequence<byte>(input);
            loop.WriteRepliesTo(client, output);

            // Replies owed by commands read before come first; while one is still to come, nothing more is read.
            next = WriteOwed(output);
            if (next != InlineNext.More)
            {
                deadline?.ServedInline(0, 0);
                return 0;
            }

            long partial = 0;
            loop.BatchStarted(client);
            try
            {
                while (!buffer.IsEmpty)
                {
                    if (client.Closing)
                    {
                        next = InlineNext.Leave;
                        break;
                    }

                    // No more commands start before the ones started are answered: the replies there go out, and the rest waits for the others.
                    if (loop.IsFull(client) && (next = WriteOwed(output)) != InlineNext.More)
                    {
                        break;
                    }

                    if (output.Length > loop._outputBufferBytes)
                    {
                        next = InlineNext.Write;
                        break;
                    }

                    ReadOnlySequence<byte> command = buffer;
                    RespReadStatus status = RespCommandReader.TryRead(ref buffer, loop._limits.For(client.Authenticated), client.Command, out _);
                    if (status != RespReadStatus.Complete)
                    {
                        buffer = command;
                        next = status == RespReadStatus.Incomplete ? InlineNext.Wait : InlineNext.Leave;
                        partial = status == RespReadStatus.Incomplete ? buffer.Length : 0;
                        break;
                    }

                    if (client.AuthRequired && loop.Gate(client, remote))
                    {
                        Ran++;
                        continue;
                    }

                    if (!loop.TryRunAtOnce(client))
                    {
                        buffer = command;
                        next = loop.WaitsForOwed(client) ? WriteOwed(output) : InlineNext.Leave;
                        if (next == InlineNext.More)
                        {
                            // Every reply it waited for is written: it is read again and runs now.
                            continue;
                        }

                        break;
                    }

                    Ran++;
                }
            }
            finally
            {
                loop.BatchRead(client);
            }

            if (client.Closing)
            {
                next = InlineNext.Leave;
            }
            else if (next is InlineNext.More or InlineNext.Wait && WriteOwed(output) is var owed && owed != InlineNext.More)
            {
                next = owed;
            }

            int consumed = input.Length - (int)buffer.Length;
            deadline?.ServedInline(consumed, partial);
            return consumed;
        }

        /// <summary>Writes the replies owed that are there, in order: <see cref="InlineNext.More"/> once all are written, <see cref="InlineNext.Suspend"/> while one is still to come, <see cref="InlineNext.Write"/> once the output holds enough to send first.</summary>
        private InlineNext WriteOwed(InlineOutput output)
        {
            while (true)
            {
                if (output.Length > loop._outputBufferBytes)
                {
                    return InlineNext.Write;
                }

                switch (loop.WriteNextOwed(client, resume))
                {
                    case InlineReply.None:
                        return InlineNext.More;
                    case InlineReply.Owed:
                        return InlineNext.Suspend;
                }
            }
        }
    }

    /// <summary>Runs the authentication rules; returns true when the gate answered instead of the command.</summary>
    private bool Gate(TConnection client, IPAddress? remote)
    {
        bool authenticated = client.Authenticated;
        RespAuthStep step = auth.Check(client.Command, ref authenticated, remote, out RespValue? reply);
        client.Authenticated = authenticated;
        if (step == RespAuthStep.Run)
        {
            return false;
        }

        Reply(client, reply!);
        client.Closing = step == RespAuthStep.ReplyAndClose;
        return true;
    }
}

/// <summary>What <see cref="RespConnectionLoop{TConnection}.WriteNextOwed"/> found.</summary>
public enum InlineReply
{
    /// <summary>No reply is owed.</summary>
    None,

    /// <summary>The next reply owed was there, and is written.</summary>
    Written,

    /// <summary>The next reply owed is still to come; the connection is resumed once it is.</summary>
    Owed,
}
