using System.Buffers;
using System.IO.Pipelines;
using KubeCache.Protocol;
using Microsoft.AspNetCore.Connections;

namespace KubeCache.Router.Resp;

/// <summary>
/// Serves one client RESP connection: reads the commands of each batch, starts each one's
/// forwarding at once (so a pipeline reaches the nodes as a pipeline), then writes the replies in
/// request order and flushes once per batch. A malformed frame gets <c>-ERR Protocol error…</c>
/// and the connection closes.
/// </summary>
public sealed class RouterRespHandler(RouterCommands commands, IHostApplicationLifetime lifetime)
{
    /// <summary>Commands started per batch before their replies are awaited; bounds memory per connection.</summary>
    private const int MaxInFlight = 1024;

    private static readonly RespLimits Limits = new();

    public async Task HandleAsync(ConnectionContext connection)
    {
        PipeReader input = connection.Transport.Input;
        PipeWriter output = connection.Transport.Output;
        CancellationToken stopping = lifetime.ApplicationStopping;
        using var command = new RespCommand();
        var pending = new List<ValueTask<RespValue>>();
        bool closing = false;
        try
        {
            while (!closing)
            {
                ReadResult result = await input.ReadAsync(stopping).ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = result.Buffer;
                try
                {
                    while (!closing && pending.Count < MaxInFlight)
                    {
                        RespReadStatus status = RespCommandReader.TryRead(ref buffer, Limits, command, out RespReadError error);
                        if (status == RespReadStatus.Incomplete)
                        {
                            break;
                        }

                        if (status == RespReadStatus.ProtocolError)
                        {
                            pending.Add(ValueTask.FromResult(RespValue.Error("ERR " + error.Message)));
                            closing = true;
                            break;
                        }

                        closing = command.NameIs("QUIT"u8);
                        pending.Add(commands.StartAsync(command, stopping));
                    }
                }
                finally
                {
                    input.AdvanceTo(buffer.Start, buffer.End);
                }

                foreach (ValueTask<RespValue> reply in pending)
                {
                    RespWriter.WriteValue(output, await reply.ConfigureAwait(false));
                }

                pending.Clear();
                await output.FlushAsync(stopping).ConfigureAwait(false);
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ConnectionResetException or ConnectionAbortedException)
        {
            // The client went away or the router is shutting down.
        }
    }
}
