using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using KubeCache.HttpContract.Limits;
using KubeCache.Protocol;
using KubeCache.Router.Options;
using KubeCache.Security.Resp;
using Microsoft.AspNetCore.Connections;

namespace KubeCache.Router.Resp;

/// <summary>
/// Serves one client RESP connection: reads the commands of each batch, starts each one's
/// forwarding at once (so a pipeline reaches the nodes as a pipeline), then writes the replies in
/// request order and flushes once per batch. Commands on a key that an unanswered command of the
/// batch reads or writes wait for it first (<see cref="PipelineOrder"/>). A malformed frame, or one
/// over --resp-max-bulk-bytes or --resp-max-array-length, gets <c>-ERR Protocol error…</c> and the
/// connection closes. Replies are flushed part-way once more than --resp-output-buffer-bytes
/// wait, so a client that does not read holds at most that much (plus one reply) in the router's
/// memory.
/// </summary>
/// <remarks>
/// Forwarded commands get no cancellation token: a request in flight ends with its reply or with
/// its upstream connection, which the router closes when it stops, and a token would cost a
/// registration per request.
/// </remarks>
public sealed class RouterRespHandler(RouterCommands commands, RespAuthGate auth, IHostApplicationLifetime lifetime, RouterOptions options, ServerLimits limits)
{
    /// <summary>Commands started per batch before their replies are awaited; bounds memory per connection.</summary>
    private const int MaxInFlight = 1024;

    private readonly RespAuthLimits _limits = new(
        new RespLimits { MaxBulkBytes = options.RespMaxBulkBytes, MaxArrayLength = options.RespMaxArrayLength }, options.Security);

    public async Task HandleAsync(ConnectionContext connection)
    {
        PipeReader input = connection.Transport.Input;
        PipeWriter output = connection.Transport.Output;
        CancellationToken stopping = lifetime.ApplicationStopping;
        using var command = new RespCommand();
        var client = new RespClientState { AuthRequired = auth.Enabled, Authenticated = !auth.Enabled };
        IPAddress? remote = (connection.RemoteEndPoint as IPEndPoint)?.Address;
        var order = new PipelineOrder();
        var pending = new List<(ValueTask<RespValue> Reply, RespProtocol Protocol)>();
        bool closing = false;
        try
        {
            while (!closing)
            {
                ReadResult result = await input.ReadAsync(stopping).ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = result.Buffer;
                bool full = false;
                try
                {
                    while (!closing && !(full = pending.Count >= MaxInFlight))
                    {
                        RespReadStatus status = RespCommandReader.TryRead(ref buffer, _limits.For(client.Authenticated), command, out RespReadError error);
                        if (status == RespReadStatus.Incomplete)
                        {
                            break;
                        }

                        if (status == RespReadStatus.ProtocolError)
                        {
                            pending.Add((ValueTask.FromResult(RespValue.Error("ERR " + RespAuthLimits.Refuse(error, client.Authenticated, limits.Metrics))), client.Protocol));
                            closing = true;
                            break;
                        }

                        if (client.AuthRequired && Gate(command, client, remote, pending, ref closing))
                        {
                            continue;
                        }

                        closing = command.NameIs("QUIT"u8);
                        RouterCommandSpec? spec = commands.Find(command[0]);
                        if (order.MustWait(spec, command))
                        {
                            // The command's arguments still point into the unreleased input, so they survive the wait.
                            await WriteRepliesAsync(pending, output, stopping).ConfigureAwait(false);
                            order.Clear();
                        }

                        order.Add(spec, command);
                        // HELLO switches the protocol as it runs, and its own reply is in the new one.
                        ValueTask<RespValue> reply = commands.StartAsync(spec, command, client, CancellationToken.None);
                        pending.Add((reply, client.Protocol));
                    }
                }
                finally
                {
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

                await WriteRepliesAsync(pending, output, stopping).ConfigureAwait(false);
                order.Clear();
                await output.FlushAsync(stopping).ConfigureAwait(false);
                if (result.IsCompleted && !full)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ConnectionResetException or ConnectionAbortedException)
        {
            // The client went away or the router is shutting down.
        }
        finally
        {
            await commands.ClosedAsync(client).ConfigureAwait(false);
        }
    }

    /// <summary>Runs the authentication rules; returns true when the gate answered instead of the command.</summary>
    private bool Gate(RespCommand command, RespClientState client, IPAddress? remote, List<(ValueTask<RespValue> Reply, RespProtocol Protocol)> pending, ref bool closing)
    {
        bool authenticated = client.Authenticated;
        RespAuthStep step = auth.Check(command, ref authenticated, remote, out RespValue? reply);
        client.Authenticated = authenticated;
        if (step == RespAuthStep.Run)
        {
            return false;
        }

        pending.Add((ValueTask.FromResult(reply!), client.Protocol));
        closing = step == RespAuthStep.ReplyAndClose;
        return true;
    }

    private async ValueTask WriteRepliesAsync(List<(ValueTask<RespValue> Reply, RespProtocol Protocol)> pending, PipeWriter output, CancellationToken stopping)
    {
        foreach ((ValueTask<RespValue> reply, RespProtocol protocol) in pending)
        {
            RespWriter.WriteValue(output, await reply.ConfigureAwait(false), protocol);
            if (output.UnflushedBytes > options.RespOutputBufferBytes)
            {
                await output.FlushAsync(stopping).ConfigureAwait(false);
            }
        }

        pending.Clear();
    }
}
