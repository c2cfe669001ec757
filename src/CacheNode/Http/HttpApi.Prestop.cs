using System.Diagnostics;
using KubeCache.HttpContract;

namespace KubeCache.CacheNode.Http;

/// <summary>The pod's preStop hook: hold the pod's termination until the node's keys are handed off.</summary>
public sealed partial class HttpApi
{
    /// <summary>How often a waiting preStop request checks the handoff: short against the 120 s grace period.</summary>
    private static readonly TimeSpan PrestopPoll = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// GET /cluster/prestop: answers once no handoff is in progress (200, status OK), or after
    /// --prestop-timeout (503, status ERROR, with the handoff's last error if it is retrying),
    /// with the handoff's state and the keys left. Open without an API key, since kubelet sends none.
    /// </summary>
    private async ValueTask<int> PrestopAsync(HttpContext context)
    {
        long started = Stopwatch.GetTimestamp();
        bool waiting;
        try
        {
            while ((waiting = _cluster.HandoffInProgress) && Stopwatch.GetElapsedTime(started) < _options.PrestopTimeout)
            {
                TimeSpan left = _options.PrestopTimeout - Stopwatch.GetElapsedTime(started);
                await Task.Delay(left < PrestopPoll ? left : PrestopPoll, context.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return StatusCodes.Status499ClientClosedRequest;
        }

        string state = _handoff.State.ToString().ToLowerInvariant();
        string? problem = !waiting ? null
            : _handoff.LastError is { } error ? $"The handoff of epoch {_handoff.Epoch} is still retrying after {_options.PrestopTimeout.TotalSeconds} s (--prestop-timeout): {error}"
            : $"The handoff of epoch {_handoff.Epoch} is still running after {_options.PrestopTimeout.TotalSeconds} s (--prestop-timeout).";
        if (waiting)
        {
            Log.PrestopTimedOut(_logger, _handoff.Epoch, _options.PrestopTimeout.TotalSeconds, _handoff.KeysLeft);
        }

        JsonReply reply = JsonReply.Rent();
        reply.Writer.WriteStartObject();
        reply.Writer.WriteString("status"u8, problem is null ? "OK"u8 : "ERROR"u8);
        reply.Writer.WriteString("state"u8, state);
        reply.Writer.WriteNumber("epoch"u8, _handoff.Epoch);
        reply.Writer.WriteNumber("keysLeft"u8, _handoff.KeysLeft);
        if (problem is not null)
        {
            reply.Writer.WriteString("message"u8, problem);
        }

        reply.Writer.WriteEndObject();
        return await WriteAsync(context, problem is null ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, reply).ConfigureAwait(false);
    }
}
