using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using KubeCache.CacheNode.Metrics;
using KubeCache.CacheNode.Options;
using KubeCache.HttpContract.Limits;
using KubeCache.Protocol;
using KubeCache.Security.Resp;
using Microsoft.AspNetCore.Connections;

namespace KubeCache.CacheNode.Resp;

/// <summary>
/// Serves one RESP connection: reads every complete command in the input, runs each to
/// completion against the store, and flushes the replies once per batch (or sooner when more
/// than --resp-output-buffer-bytes are waiting). A malformed frame gets <c>-ERR Protocol error…</c>
/// and the connection is closed.
/// </summary>
public sealed class RespConnectionHandler(
    RespCommandTable commands, NodeOptions options, NodeMetrics metrics, RespAuthGate auth, IHostApplicationLifetime lifetime, ILogger<RespConnectionHandler> logger,
    ServerLimits limits)
{
    private readonly RespAuthLimits _limits = new(
        new RespLimits { MaxBulkBytes = options.RespMaxBulkBytes, MaxArrayLength = options.RespMaxArrayLength }, options.Security);

    public async Task HandleAsync(ConnectionContext connection)
    {
        metrics.ConnectionOpened(resp: true);
        using var session = new RespSession(connection.Transport.Output, options.RespOutputBufferBytes, stopping: lifetime.ApplicationStopping)
        {
            AuthRequired = auth.Enabled,
            Authenticated = !auth.Enabled,
        };
        IPAddress? remote = (connection.RemoteEndPoint as IPEndPoint)?.Address;
        PipeReader input = connection.Transport.Input;
        CancellationToken stopping = lifetime.ApplicationStopping;
        try
        {
            while (!session.Closing)
            {
                ReadResult result = await input.ReadAsync(stopping).ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = result.Buffer;
                session.CommandStarted = Stopwatch.GetTimestamp();
                try
                {
                    while (!session.Closing)
                    {
                        RespReadStatus status = RespCommandReader.TryRead(ref buffer, _limits.For(session.Authenticated), session.Command, out RespReadError error);
                        if (status == RespReadStatus.Incomplete)
                        {
                            break;
                        }

                        if (status == RespReadStatus.ProtocolError)
                        {
                            string problem = RespAuthLimits.Refuse(error, session.Authenticated, limits.Metrics);
                            Log.ProtocolError(logger, connection.ConnectionId, problem);
                            RespWriter.WriteError(session.Output, "ERR " + problem);
                            session.Closing = true;
                            break;
                        }

                        if (session.AuthRequired && Gate(session, remote))
                        {
                            continue;
                        }

                        ValueTask pending = commands.ExecuteAsync(session);
                        if (!pending.IsCompletedSuccessfully)
                        {
                            session.LeaveGate();
                            await pending.ConfigureAwait(false);
                        }

                        if (session.Output.UnflushedBytes > options.RespOutputBufferBytes)
                        {
                            session.LeaveGate();
                            await session.Output.FlushAsync(stopping).ConfigureAwait(false);
                        }
                    }
                }
                finally
                {
                    // A ring change waits for the commands inside the gate: never while the client reads.
                    session.LeaveGate();
                    input.AdvanceTo(buffer.Start, buffer.End);
                }

                if (session.Output.UnflushedBytes > 0)
                {
                    await session.Output.FlushAsync(stopping).ConfigureAwait(false);
                }

                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ConnectionResetException or ConnectionAbortedException)
        {
            // The client went away or the node is shutting down: nothing is owed to anyone.
        }
        finally
        {
            commands.Unwatch(session);
            metrics.ConnectionClosed(resp: true);
        }
    }

    /// <summary>Runs the authentication rules; returns true when the gate answered instead of the command.</summary>
    private bool Gate(RespSession session, IPAddress? remote)
    {
        bool authenticated = session.Authenticated;
        RespAuthStep step = auth.Check(session.Command, ref authenticated, remote, out RespValue? reply);
        session.Authenticated = authenticated;
        if (step == RespAuthStep.Run)
        {
            return false;
        }

        session.Write(reply!);
        session.Closing = step == RespAuthStep.ReplyAndClose;
        return true;
    }
}
