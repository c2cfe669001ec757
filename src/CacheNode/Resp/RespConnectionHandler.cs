using System.Diagnostics;
using KubeCache.CacheNode.Metrics;
using KubeCache.CacheNode.Options;
using KubeCache.Hosting.Limits;
using KubeCache.Hosting.Resp;
using KubeCache.Protocol;
using KubeCache.Security.Resp;
using Microsoft.AspNetCore.Connections;

namespace KubeCache.CacheNode.Resp;

/// <summary>
/// Serves one RESP connection on a node: runs each command to completion against the store as it
/// is read, on the transport's loop while every command answers at once
/// (<see cref="RespCommandTable.TryRunAtOnce"/>), and otherwise from the pipes, flushing the
/// replies once per batch (or sooner when more than --resp-output-buffer-bytes are waiting).
/// </summary>
public sealed class RespConnectionHandler(
    RespCommandTable commands, NodeOptions options, NodeMetrics metrics, RespAuthGate auth, IHostApplicationLifetime lifetime, ILoggerFactory loggers,
    ServerLimits limits)
    : RespConnectionLoop<RespSession>(options, auth, limits, lifetime, loggers)
{
    protected override RespSession Open(ConnectionContext connection)
    {
        metrics.ConnectionOpened(resp: true);
        return new RespSession(connection.Transport.Output, options.RespOutputBufferBytes, connection.ConnectionClosed)
        {
            AuthRequired = AuthEnabled,
            Authenticated = !AuthEnabled,
        };
    }

    protected override bool ServesInline => true;

    protected override bool TryRunAtOnce(RespSession session) => commands.TryRunAtOnce(session);

    protected override void WriteRepliesTo(RespSession session, IBufferWriter<byte>? inline) => session.WriteRepliesTo(inline);

    protected override bool MayHaveWaited(RespSession session) => session.MayHaveWaited;

    protected override void BatchStarted(RespSession session)
    {
        session.CommandStarted = Stopwatch.GetTimestamp();
        session.MayHaveWaited = false;
    }

    protected override ValueTask ExecuteAsync(RespSession session)
    {
        ValueTask running = commands.ExecuteAsync(session);
        return running.IsCompletedSuccessfully && session.Pipe.UnflushedBytes <= options.RespOutputBufferBytes ? default : FinishAsync(running, session);
    }

    protected override void Reply(RespSession session, RespValue reply) => session.Write(reply);

    // A ring change waits for the commands inside the gate: never while the client reads.
    protected override void BatchRead(RespSession session) => session.LeaveGate();

    protected override async ValueTask EndBatchAsync(RespSession session)
    {
        if (session.Pipe.UnflushedBytes > 0)
        {
            await session.Pipe.FlushAsync().ConfigureAwait(false);
        }
    }

    protected override ValueTask ClosedAsync(RespSession session)
    {
        commands.Unwatch(session);
        metrics.ConnectionClosed(resp: true);
        return default;
    }

    /// <summary>Waits for a command that did not complete at once, and flushes a reply buffer past its limit; neither inside the ring gate.</summary>
    private async ValueTask FinishAsync(ValueTask running, RespSession session)
    {
        if (!running.IsCompletedSuccessfully)
        {
            session.LeaveGate();
            await running.ConfigureAwait(false);
        }

        if (session.Pipe.UnflushedBytes > options.RespOutputBufferBytes)
        {
            session.LeaveGate();
            await session.Pipe.FlushAsync().ConfigureAwait(false);
        }
    }
}
