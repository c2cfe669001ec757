using System.Diagnostics;
using KubeCache.HttpContract;

namespace KubeCache.CacheNode.Http;

/// <summary>The pod's preStop hook: hold the pod's termination until the node's keys are handed off.</summary>
public sealed partial class HttpApi
{
    /// <summary>How often a waiting preStop request checks the handoff: short against the 120 s grace period.</summary>
    private static readonly TimeSpan PrestopPoll = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// GET /cluster/prestop: while this node is still a ring member, waits up to
    /// --prestop-leave-timeout for a ring without it (the operator publishes one when it sees the
    /// pod terminating); then waits while a handoff is in progress and until the ring change that
    /// takes it out is final (the coordinator asks every previous member until then). Answers 200 (status OK) once
    /// neither holds, or 503 (status ERROR, with why) when --prestop-timeout ends the wait first
    /// or the node is still a member after a nonzero leave timeout (its keys go with it); with the
    /// handoff's state and the keys left. Open without an API key, since kubelet sends none.
    /// </summary>
    private async ValueTask<int> PrestopAsync(HttpContext context)
    {
        long started = Stopwatch.GetTimestamp();
        bool leaving() => (_cluster.IsMember && Stopwatch.GetElapsedTime(started) < _options.PrestopLeaveTimeout) || _cluster.IsLeaving;
        try
        {
            while ((leaving() || _cluster.HandoffInProgress) && Stopwatch.GetElapsedTime(started) < _options.PrestopTimeout)
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
        string? problem = _cluster.HandoffInProgress
            ? _handoff.LastError is { } error ? $"The handoff of epoch {_handoff.Epoch} is still retrying after {_options.PrestopTimeout.TotalSeconds} s (--prestop-timeout): {error}"
            : $"The handoff of epoch {_handoff.Epoch} is still running after {_options.PrestopTimeout.TotalSeconds} s (--prestop-timeout)."
            : _cluster.IsLeaving && _cluster.Current is { } leavingRing
            ? $"The ring change of epoch {leavingRing.Epoch}, which takes this node out, is still not final after {_options.PrestopTimeout.TotalSeconds} s (--prestop-timeout)."
            : _options.PrestopLeaveTimeout > TimeSpan.Zero && _cluster.IsMember && _cluster.Current is { } ring
            ? $"This node is still a member of ring epoch {ring.Epoch} after {Stopwatch.GetElapsedTime(started).TotalSeconds:0.#} s (--prestop-leave-timeout {_options.PrestopLeaveTimeout.TotalSeconds} s): no ring without it was published, so its keys were not handed off."
            : null;
        if (_cluster.HandoffInProgress)
        {
            Log.PrestopTimedOut(_logger, _handoff.Epoch, _options.PrestopTimeout.TotalSeconds, _handoff.KeysLeft);
        }
        else if (problem is not null)
        {
            Log.PrestopStillMember(_logger, problem);
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
