using KubeCache.Protocol;
using KubeCache.Router.Metrics;
using KubeCache.Router.Upstream;
using KubeCache.Topology;

namespace KubeCache.Router.Routing;

/// <summary>
/// The routing rules both fronts share (docs/topology.md, "Ownership fencing"): a
/// key's commands go to its owner in the router's ring. The node is the judge: when it does not
/// answer for the key under its own ring it replies <c>-KVMOVED epoch owner address</c>. The router
/// then brings the two rings in line (it fetches the node's document when the node is further
/// along, or hands the node its own when the node is behind) and sends the command again by the
/// newer ring, so a client never sees a redirect.
/// </summary>
public sealed class KeyRouter(RouteTable table, RouterMetrics metrics)
{
    /// <summary>Redirects followed for one command before its client gets -TRYAGAIN: each one moves a ring forward, so few are needed.</summary>
    public const int MaxRedirects = 4;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, RingAsk> _asks = new(StringComparer.Ordinal);
    private readonly long _reaskMs = (long)table.Pool.Options.RequestTimeout.TotalMilliseconds;

    // Counts every request to a node in the router's metrics, made once.
    private readonly UpstreamRequestObserver _observer = metrics.Upstream;

    public Routes CurrentRoutes => table.Routes ?? throw new NoRingException();

    public RingMember OwnerOf(ReadOnlySpan<byte> key) => CurrentRoutes.Ring.OwnerOf(key);

    /// <summary>Sends a command about the key at argument 1 to its owner, following redirects.</summary>
    public ValueTask<RespValue> SendAsync(ReadOnlyMemory<byte>[] command, CancellationToken cancellationToken)
    {
        Routes routes = CurrentRoutes;
        RingMember owner = routes.Ring.OwnerOf(command[1].Span);
        return FollowAsync(SendAsync(owner, command, cancellationToken), owner, routes, command, cancellationToken, keyIndex: 1);
    }

    /// <summary>
    /// Forwards a command read from a client about the key at argument <paramref name="keyIndex"/>
    /// (1 but for OBJECT) to its owner, following redirects. The command is encoded for the node,
    /// and copied for a possible second send, before this returns.
    /// </summary>
    public ValueTask<RespValue> ForwardAsync(RespCommand command, CancellationToken cancellationToken, int keyIndex = 1)
    {
        ValueTask<RespValue> sending = Forward(command, out Forwarded? forwarded, cancellationToken, keyIndex);
        return forwarded is null ? sending : FollowAsync(forwarded, sending, cancellationToken);
    }

    /// <summary>
    /// Forwards a command read from a client to its key's owner and returns the owner's reply as
    /// it comes, a redirect included. <paramref name="forwarded"/> is what following a redirect
    /// needs (the command is copied into it): the caller, which awaits the reply anyway, follows it
    /// when <see cref="MustFollow"/> says so (<see cref="FollowAsync(Forwarded, ValueTask{RespValue}, CancellationToken)"/>),
    /// so a command needs no await of its own here. Null when the reply is already there and final.
    /// </summary>
    public ValueTask<RespValue> Forward(RespCommand command, out Forwarded? forwarded, CancellationToken cancellationToken, int keyIndex = 1)
    {
        Routes routes = CurrentRoutes;
        (RingMember owner, NodeClient client) = routes.OwnerOf(command[keyIndex]);
        ValueTask<RespValue> sending = client.SendAsync(command, cancellationToken, _observer);
        if (sending.IsCompletedSuccessfully)
        {
            // A pooled ValueTask is consumed by reading its result: hand on the value, not the task.
            RespValue reply = sending.Result;
            sending = ValueTask.FromResult(reply);
            if (!IsRedirect(reply))
            {
                forwarded = null;
                return sending;
            }
        }

        forwarded = new Forwarded(owner, routes, command, keyIndex);
        return sending;
    }

    /// <summary>Whether a forwarded command's first outcome needs following: a redirect, or a failure before the command reached its owner.</summary>
    public static bool MustFollow(RespValue? reply, Exception? failure) =>
        failure is null ? reply is not null && IsRedirect(reply) : failure is UpstreamException { Unsent: true };

    /// <summary>Sends a command to one member, counting it in the router's metrics; a redirect comes back as it is.</summary>
    public ValueTask<RespValue> SendAsync(RingMember member, IReadOnlyList<ReadOnlyMemory<byte>> command, CancellationToken cancellationToken) =>
        table.ClientFor(member).SendAsync(command, cancellationToken, _observer);

    /// <summary>Forwards a command read from a client to one member as it is (it is copied before this returns), counting it.</summary>
    public ValueTask<RespValue> SendAsync(RingMember member, RespCommand command, CancellationToken cancellationToken) =>
        table.ClientFor(member).SendAsync(command, cancellationToken, _observer);

    /// <summary>Sends several commands to one member as one unit on one connection (MULTI … EXEC), counting it; the reply is the array of their replies.</summary>
    public ValueTask<RespValue> SendAllAsync(RingMember member, IReadOnlyList<IReadOnlyList<ReadOnlyMemory<byte>>> commands, CancellationToken cancellationToken) =>
        table.ClientFor(member).SendAllAsync(commands, cancellationToken, _observer);

    /// <summary>Whether <paramref name="reply"/> is a node's redirect (or its "we are on different rings").</summary>
    public static bool IsRedirect(RespValue reply) =>
        reply.IsError && RingProtocol.TryParse(reply.AsString(), out _, out _, out _);

    /// <summary>The error a client gets when redirects kept coming: the ring is changing faster than the command could follow.</summary>
    public static RespValue TooManyRedirects(RespValue last) =>
        RespValue.Error($"TRYAGAIN the ring is changing; the command was redirected {MaxRedirects} times (last: {last.AsString()})");

    /// <summary>
    /// Brings the router's ring and <paramref name="member"/>'s in line after it answered
    /// <paramref name="redirect"/> to a command routed by <paramref name="routes"/>: takes the
    /// member's document when it is further along, else hands the member the router's.
    /// </summary>
    public async ValueTask CatchUpAsync(RingMember member, Routes routes, RespValue redirect, CancellationToken cancellationToken)
    {
        if (!RingProtocol.TryParse(redirect.AsString(), out string code, out long epoch, out bool rebalancing) || table.Routes != routes)
        {
            // Another request moved the router on meanwhile: routing again by the newer ring is enough.
            return;
        }

        metrics.Redirect(member.Name);
        bool theirsIsNewer = code == RingProtocol.MovedCode ? epoch >= routes.Epoch : RingProtocol.PeerIsNewer(routes.Document, epoch, rebalancing);
        if (!theirsIsNewer)
        {
            await SendAsync(member, [RingProtocol.RingCommand, routes.Document.ToUtf8Json()], cancellationToken).ConfigureAwait(false);
            return;
        }

        await LearnAsync(member, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Fetches <paramref name="member"/>'s ring document (<c>KVRING</c>) and routes by it from now
    /// on if it is further along than the router's. A document the router cannot read changes
    /// nothing (a redirect then stands, and its client gets -TRYAGAIN).
    /// </summary>
    public async ValueTask LearnAsync(RingMember member, CancellationToken cancellationToken)
    {
        RespValue document = await SendAsync(member, [RingProtocol.RingCommand], cancellationToken).ConfigureAwait(false);
        if (document.Kind == RespValueKind.BulkString && !document.IsNull)
        {
            try
            {
                table.Offer(RingDocument.Parse(document.Bytes.Span));
            }
            catch (RingFormatException)
            {
            }
        }
    }

    /// <summary>Follows a forwarded command from its first outcome, <paramref name="sending"/>: to the owner by a newer ring, up to <see cref="MaxRedirects"/> times.</summary>
    public ValueTask<RespValue> FollowAsync(Forwarded forwarded, ValueTask<RespValue> sending, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(forwarded);
        return FollowAsync(sending, forwarded.Owner, forwarded.Routes, forwarded.Arguments(), cancellationToken, forwarded.KeyIndex);
    }

    private async ValueTask<RespValue> FollowAsync(
        ValueTask<RespValue> sending, RingMember owner, Routes routes, ReadOnlyMemory<byte>[] command, CancellationToken cancellationToken, int keyIndex)
    {
        for (int redirects = 0; ; redirects++)
        {
            // Null when the command reached no node and a member knew a newer ring: it goes to the owner by that.
            RespValue? reply = null;
            try
            {
                reply = await sending.ConfigureAwait(false);
            }
            catch (UpstreamException e) when (e.Unsent && redirects < MaxRedirects)
            {
                if (!await NewerRingFromOthersAsync(owner, routes).WaitAsync(cancellationToken).ConfigureAwait(false))
                {
                    throw;
                }
            }

            if (reply is not null)
            {
                if (!IsRedirect(reply))
                {
                    return reply;
                }

                if (redirects == MaxRedirects)
                {
                    return TooManyRedirects(reply);
                }

                await CatchUpAsync(owner, routes, reply, cancellationToken).ConfigureAwait(false);
            }

            routes = CurrentRoutes;
            owner = routes.Ring.OwnerOf(command[keyIndex].Span);
            sending = SendAsync(owner, command, cancellationToken);
        }
    }

    /// <summary>
    /// Asks the other members of <paramref name="routes"/>' ring (current and previous) for their
    /// documents when <paramref name="unreachable"/>, the key's owner by it, cannot be reached: a
    /// rebalance may have finished without it and the node been stopped, which a member that has
    /// applied the finish knows. True when the router has taken a newer document. One ask per
    /// unreachable member and ring at a time, and at most one per --upstream-timeout: the commands
    /// failing meanwhile share its answer, so a node that is down (and no newer ring yet) does not
    /// cost the other members a round of KVRING per command.
    /// </summary>
    private Task<bool> NewerRingFromOthersAsync(RingMember unreachable, Routes routes)
    {
        long now = Environment.TickCount64;
        RingAsk ask = _asks.AddOrUpdate(
            unreachable.Name,
            static (_, state) => state.Self.NewAsk(state.Unreachable, state.Routes, state.Now),
            static (_, last, state) => last.Routes == state.Routes && (!last.Answer.IsValueCreated || !last.Answer.Value.IsCompleted || state.Now - last.At < state.Self._reaskMs)
                ? last
                : state.Self.NewAsk(state.Unreachable, state.Routes, state.Now),
            (Self: this, Unreachable: unreachable, Routes: routes, Now: now));
        return ask.Answer.Value;
    }

    // Lazy: under contention the dictionary may build an ask it then discards; only the kept one runs.
    private RingAsk NewAsk(RingMember unreachable, Routes routes, long now) => new(routes, now, new Lazy<Task<bool>>(() => AskOthersAsync(unreachable, routes)));

    private async Task<bool> AskOthersAsync(RingMember unreachable, Routes routes)
    {
        // Shared by every command that fails meanwhile, so no one caller's cancellation ends it.
        IEnumerable<RingMember> members = routes.Document.Members.Concat(routes.Document.Previous?.Members ?? []);
        foreach (RingMember member in members.Where(m => m.Name != unreachable.Name).DistinctBy(m => m.Name))
        {
            try
            {
                await LearnAsync(member, CancellationToken.None).ConfigureAwait(false);
            }
            catch (UpstreamException)
            {
                // That member cannot say either; ask the next one.
            }

            if (table.Routes != routes)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The last ask about one unreachable member: under which ring, when, and its answer.</summary>
    private sealed record RingAsk(Routes Routes, long At, Lazy<Task<bool>> Answer);

    /// <summary>Copies arguments <paramref name="from"/>… into one buffer, so they outlive the command's.</summary>
    public static ReadOnlyMemory<byte>[] CopyArguments(RespCommand command, int from = 0)
    {
        int bytes = 0;
        for (int i = from; i < command.Count; i++)
        {
            bytes += command[i].Length;
        }

        byte[] buffer = new byte[bytes];
        var arguments = new ReadOnlyMemory<byte>[command.Count - from];
        int offset = 0;
        for (int i = from; i < command.Count; i++)
        {
            ReadOnlySpan<byte> argument = command[i];
            argument.CopyTo(buffer.AsSpan(offset));
            arguments[i - from] = buffer.AsMemory(offset, argument.Length);
            offset += argument.Length;
        }

        return arguments;
    }
}
