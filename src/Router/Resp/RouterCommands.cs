using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using System.Text;
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
    /// <summary>Longest command name looked up; longer names are unknown by definition.</summary>
    private const int MaxNameLength = 32;

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

    /// <summary>Starts the command; the returned task completes with the reply to send back and never faults but for cancellation.</summary>
    public ValueTask<RespValue> StartAsync(RespCommand command, RespClientState client, CancellationToken cancellationToken) =>
        StartAsync(Find(command[0]), command, client, cancellationToken);

    /// <summary>Starts a command already looked up with <see cref="Find"/> (null: unknown).</summary>
    public ValueTask<RespValue> StartAsync(RouterCommandSpec? spec, RespCommand command, RespClientState client, CancellationToken cancellationToken)
    {
        if (spec is null)
        {
            client.Transaction.Failed |= client.Transaction.InMulti;
            _metrics.Request("resp", "unknown", ok: false);
            return ValueTask.FromResult(RouterRespErrors.UnknownCommand(command));
        }

        if (!spec.AcceptsCount(command.Count))
        {
            client.Transaction.Failed |= client.Transaction.InMulti;
            _metrics.Request("resp", spec.MetricName, ok: false);
            return ValueTask.FromResult(spec.WrongArity);
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
            return ValueTask.FromResult(queued);
        }

        ValueTask<RespValue> reply;
        int count = command.Count;
        RespProtocol protocol = client.Protocol;
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

        if (!reply.IsCompletedSuccessfully)
        {
            return FinishAsync(spec, reply, count, protocol);
        }

        RespValue value = spec.Shaped(reply.Result, count, protocol);
        _metrics.Request("resp", spec.MetricName, ok: !value.IsError);
        return ValueTask.FromResult(value);
    }

    // Pooled: most forwarded commands complete later, and the connection awaits each reply once.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<RespValue> FinishAsync(RouterCommandSpec spec, ValueTask<RespValue> pending, int count, RespProtocol protocol)
    {
        RespValue reply;
        try
        {
            reply = spec.Shaped(await pending.ConfigureAwait(false), count, protocol);
        }
        catch (Exception e) when (e is UpstreamException or NoRingException)
        {
            reply = RouterRespErrors.From(e);
        }
        catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
        {
            reply = Unexpected(spec, e);
        }

        _metrics.Request("resp", spec.MetricName, ok: !reply.IsError);
        return reply;
    }

    private RespValue Unexpected(RouterCommandSpec spec, Exception e)
    {
        Log.UnexpectedError(_logger, e, "resp", spec.MetricName);
        return RouterRespErrors.Internal(spec.MetricName);
    }

    /// <summary>The command named <paramref name="name"/> (any case), or null when the router does not speak it.</summary>
    public RouterCommandSpec? Find(ReadOnlySpan<byte> name)
    {
        if (name.Length > MaxNameLength)
        {
            return null;
        }

        Span<char> chars = stackalloc char[MaxNameLength];
        int length = Encoding.Latin1.GetChars(name, chars);
        return _lookup.TryGetValue(chars[..length], out RouterCommandSpec? spec) ? spec : null;
    }

    private static ReadOnlyMemory<byte>[] CopyArguments(RespCommand command, int from = 0) => KeyRouter.CopyArguments(command, from);
}
