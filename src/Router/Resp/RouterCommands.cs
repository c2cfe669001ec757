using System.Collections.Frozen;
using KubeCache.ClientContract;
using KubeCache.ClientContract.Resp;
using KubeCache.Protocol;
using KubeCache.Router.Metrics;
using KubeCache.Router.Options;
using KubeCache.Router.Routing;
using KubeCache.Router.Upstream;

namespace KubeCache.Router.Resp;

/// <summary>
/// What the router does with each RESP command: key commands go to the key's owner,
/// multi-key commands are split per owner and merged in request order, and connection and server
/// commands are answered here or gathered from every member. Arity is checked here, as the node
/// does, so a handler always has its key; every command is counted in <see cref="RouterMetrics"/>.
/// </summary>
public sealed partial class RouterCommands
{
    private readonly KeyRouter _router;
    private readonly RouteTable _table;
    private readonly RouterMetrics _metrics;
    private readonly ILogger<RouterCommands> _logger;
    private readonly FrozenDictionary<string, RouterCommandSpec>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    private readonly long _maxTransactionBytes;

    public RouterCommands(KeyRouter router, RouteTable table, RouterMetrics metrics, RouterOptions options, ILogger<RouterCommands> logger)
    {
        _router = router;
        _table = table;
        _metrics = metrics;
        _logger = logger;
        _maxTransactionBytes = options.RespMaxTransactionBytes;
        Commands = TransactionCommandSpecs().Concat(KeyCommandSpecs()).Concat(HashCommandSpecs()).Concat(MultiKeyCommandSpecs()).Concat(KeyspaceCommandSpecs()).Concat(ServerCommandSpecs()).Concat(ClusterCommandSpecs())
            .ToFrozenDictionary(s => s.Name, StringComparer.OrdinalIgnoreCase);
        _lookup = Commands.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Every command the router speaks, by name (case-insensitive).</summary>
    public FrozenDictionary<string, RouterCommandSpec> Commands { get; }

    /// <summary>
    /// Starts a command already looked up with <see cref="Find"/> (null: unknown). Its reply is
    /// finished (shaped for the client and counted) when it is there at once; otherwise it is
    /// finished by <see cref="Finish(PendingReply, RespValue)"/> or
    /// <see cref="Finish(PendingReply, Exception)"/> once it has come.
    /// </summary>
    internal PendingReply Start(RouterCommandSpec? spec, RespCommand command, RespClientState client, CancellationToken cancellationToken)
    {
        if (spec is null)
        {
            client.Transaction.Failed |= client.Transaction.InMulti;
            _metrics.Request("resp", "unknown", ok: false);
            return new PendingReply(ValueTask.FromResult(RouterRespErrors.UnknownCommand(command)), client.Protocol);
        }

        if (!spec.AcceptsCount(command.Count))
        {
            client.Transaction.Failed |= client.Transaction.InMulti;
            _metrics.Request("resp", spec.MetricName, ok: false);
            return new PendingReply(ValueTask.FromResult(spec.WrongArity), client.Protocol);
        }

        if (client.Transaction.InMulti && spec.InTransaction != TransactionRole.Immediate)
        {
            RespValue queued;
            try
            {
                queued = Queue(spec, command, client);
            }
            catch (NoRingException e)
            {
                client.Transaction.Failed = true;
                queued = RouterRespErrors.From(e);
            }

            _metrics.Request("resp", spec.MetricName, ok: !queued.IsError);
            return new PendingReply(ValueTask.FromResult(queued), client.Protocol);
        }

        ValueTask<RespValue> reply;
        int count = command.Count;
        RespProtocol protocol = client.Protocol;
        client.Forwarded = null;
        try
        {
            reply = spec.Handler(command, client, cancellationToken);
        }
        catch (Exception e) when (e is UpstreamException or NoRingException)
        {
            reply = ValueTask.FromResult(RouterRespErrors.From(e));
        }
        catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
        {
            reply = ValueTask.FromResult(Unexpected(spec, e));
        }

        // HELLO switches the protocol as it runs, and its own reply is in the new one.
        Forwarded? forwarded = client.Forwarded;
        client.Forwarded = null;
        if (!reply.IsCompletedSuccessfully || forwarded is not null)
        {
            return new PendingReply(reply, client.Protocol) { Spec = spec, Count = count, AskedIn = protocol, Forwarded = forwarded };
        }

        return new PendingReply(ValueTask.FromResult(Counted(spec, spec.Shaped(reply.Result, count, protocol))), client.Protocol);
    }

    /// <summary>Follows a forwarded command whose first outcome was a redirect or an unsent failure (<see cref="KeyRouter.MustFollow"/>).</summary>
    internal ValueTask<RespValue> FollowAsync(Forwarded forwarded, RespValue? reply, Exception? failure) =>
        _router.FollowAsync(forwarded, failure is null ? ValueTask.FromResult(reply!) : ValueTask.FromException<RespValue>(failure), CancellationToken.None);

    /// <summary>Finishes a reply <see cref="Start"/> left pending, now that it has come: shaped for the client and counted.</summary>
    internal RespValue Finish(PendingReply pending, RespValue reply) => Counted(pending.Spec!, pending.Spec!.Shaped(reply, pending.Count, pending.AskedIn));

    /// <summary>Finishes a reply <see cref="Start"/> left pending whose command failed: the error reply the client gets, counted.</summary>
    internal RespValue Finish(PendingReply pending, Exception failure) =>
        Counted(pending.Spec!, failure is UpstreamException or NoRingException ? RouterRespErrors.From(failure) : Unexpected(pending.Spec!, failure));

    private RespValue Counted(RouterCommandSpec spec, RespValue reply)
    {
        _metrics.Request("resp", spec.MetricName, ok: !reply.IsError);
        return reply;
    }

    private RespValue Unexpected(RouterCommandSpec spec, Exception e)
    {
        ContractLog.UnexpectedError(_logger, e, "resp", spec.MetricName);
        return RouterRespErrors.Internal(spec.MetricName);
    }

    /// <summary>The command named <paramref name="name"/> (any case), or null when the router does not speak it.</summary>
    public RouterCommandSpec? Find(ReadOnlySpan<byte> name) => _lookup.Find(name);

    private static ReadOnlyMemory<byte>[] CopyArguments(RespCommand command, int from = 0) => KeyRouter.CopyArguments(command, from);
}
