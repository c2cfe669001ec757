using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using KubeCache.CacheNode.Cluster;
using KubeCache.CacheNode.Metrics;
using KubeCache.CacheNode.Options;
using KubeCache.CacheNode.Resp.Commands;
using KubeCache.CacheNode.Storage;
using KubeCache.ClientContract;
using KubeCache.ClientContract.Resp;
using KubeCache.Protocol;

namespace KubeCache.CacheNode.Resp;

/// <summary>Runs one command: reads its arguments from the session and writes its reply.</summary>
public delegate void RespCommandHandler(RespSession session);

/// <summary>Runs a command whose reply can be large enough to need flushing while it is written (MGET, SCAN).</summary>
public delegate ValueTask RespAsyncCommandHandler(RespSession session);

/// <summary>
/// A command the node speaks. <see cref="Arity"/> follows Redis: a positive number is the exact
/// argument count (name included), a negative one the minimum.
/// </summary>
public sealed record RespCommandSpec(string Name, int Arity, RespCommandHandler? Handler, RespAsyncCommandHandler? AsyncHandler = null)
{
    /// <summary>Where the command's keys are, which the node judges against its ring before running it.</summary>
    public KeyLayout Keys { get; init; }

    /// <summary>Whether the command only reads its keys; one that may write them marks the connections WATCHing them first.</summary>
    public bool ReadOnly { get; init; }

    /// <summary>Whether the command may change every key (FLUSHALL), which every WATCH sees.</summary>
    public bool WritesAll { get; init; }

    /// <summary>What the command does after MULTI.</summary>
    public TransactionRole InTransaction { get; init; }

    internal RequestSeries? Series { get; set; }

    /// <summary>Where the keys of a call with <paramref name="count"/> arguments are: from <c>First</c> to <c>Last</c>, every <c>Stride</c>th (none when <c>Last</c> is below <c>First</c>).</summary>
    public (int First, int Last, int Stride) KeyRange(int count) => Keys switch
    {
        KeyLayout.None => (1, 0, 1),
        KeyLayout.First => (1, 1, 1),
        KeyLayout.Second => (2, Math.Min(2, count - 1), 1),
        KeyLayout.Two => (1, 2, 1),
        KeyLayout.Pairs => (1, count - 1, 2),
        _ => (1, count - 1, 1),
    };
}

/// <summary>Which arguments of a command are keys.</summary>
public enum KeyLayout
{
    /// <summary>No key (server and cluster commands).</summary>
    None,

    /// <summary>Argument 1.</summary>
    First,

    /// <summary>Argument 2 (OBJECT's key, after the subcommand).</summary>
    Second,

    /// <summary>Arguments 1 and 2 (RENAME, COPY, LCS).</summary>
    Two,

    /// <summary>Every argument from 1 on (MGET, DEL, UNLINK, EXISTS).</summary>
    All,

    /// <summary>Arguments 1, 3, 5…: the keys of key-value pairs (MSET).</summary>
    Pairs,
}

/// <summary>
/// Every RESP command by name (case-insensitive), with Redis-shaped errors for unknown commands
/// and wrong argument counts. Each run is counted and timed in <see cref="NodeMetrics"/>.
/// </summary>
public sealed partial class RespCommandTable
{
    private readonly FrozenDictionary<string, RespCommandSpec>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly RequestSeries _unknown;
    private readonly ILogger<RespCommandTable> _logger;

    public RespCommandTable(
        CacheStore store, NodeRing ring, KeyPuller puller, HandoffService handoff, NodeMetrics metrics, WatchedKeys watches, NodeOptions options,
        ILogger<RespCommandTable> logger)
    {
        _logger = logger;
        _store = store;
        _ring = ring;
        _puller = puller;
        _watches = watches;
        _maxTransactionBytes = options.RespMaxTransactionBytes;
        IEnumerable<RespCommandSpec> specs = TransactionSpecs()
            .Concat(StringCommands.Specs(store))
            .Concat(KeyCommands.Specs(store))
            .Concat(HashCommands.Specs(store))
            .Concat(ClusterCommands.Specs(store, ring, handoff))
            .Concat(ServerCommands.Specs(store, handoff, () => Commands!));
        Commands = specs.ToFrozenDictionary(s => s.Name, StringComparer.OrdinalIgnoreCase);
        foreach (RespCommandSpec spec in Commands.Values)
        {
            spec.Series = metrics.Series("resp", spec.Name.ToLowerInvariant());
        }

        _lookup = Commands.GetAlternateLookup<ReadOnlySpan<char>>();
        _unknown = metrics.Series("resp", "unknown");
    }

    public FrozenDictionary<string, RespCommandSpec> Commands { get; }

    /// <summary>Runs the session's current command; completes synchronously unless it waited (a key taken from its previous owner first, or a reply that needed a flush).</summary>
    public ValueTask ExecuteAsync(RespSession session)
    {
        RespCommandSpec? spec = Find(session.Command[0]);
        if (AnsweredBeforeRunning(spec, session))
        {
            return default;
        }

        // What TryRunAtOnce would refuse, judged coarsely (any key of a rebalance): the connection stays on its pipes for the batch.
        session.MayHaveWaited |= spec.AsyncHandler is not null;
        if (spec.Keys != KeyLayout.None)
        {
            session.EnterGate(_ring.Gate);
            Fence? fence = _ring.Fence;
            session.MayHaveWaited |= fence is { Rebalancing: true };
            if (Fenced(spec, session, fence) is { } fenced)
            {
                return fenced;
            }
        }

        return Run(spec, session);
    }

    /// <summary>
    /// Runs the session's current command when nothing in it can wait, and returns true: its reply
    /// is written and its effects are in the store. Returns false, having done nothing, for a
    /// command that may wait (one with an asynchronous handler, or one with a key that moves here
    /// under the ring in use and may have to be taken from its previous owner first), which the
    /// caller runs with <see cref="ExecuteAsync"/> instead.
    /// </summary>
    public bool TryRunAtOnce(RespSession session)
    {
        RespCommandSpec? spec = Find(session.Command[0]);
        if (AnsweredBeforeRunning(spec, session))
        {
            return true;
        }

        if (spec.AsyncHandler is not null)
        {
            return false;
        }

        if (spec.Keys != KeyLayout.None)
        {
            // Judged by the fence read once inside the gate, so the look that found no key moving
            // here and the ownership check that follows see the same ring: no take can start.
            session.EnterGate(_ring.Gate);
            Fence? fence = _ring.Fence;
            if (MovesHere(spec, session, fence))
            {
                return false;
            }

            if (Fenced(spec, session, fence) is not null)
            {
                return true;
            }
        }

        Touch(spec, session.Command);
        RunHandler(spec, session);
        return true;
    }

    /// <summary>
    /// Answers a command that does not run: an unknown one, one with the wrong number of
    /// arguments, or one queued after MULTI. Returns false when the command is to run, and then
    /// <paramref name="spec"/> is not null.
    /// </summary>
    private bool AnsweredBeforeRunning([NotNullWhen(false)] RespCommandSpec? spec, RespSession session)
    {
        RespCommand command = session.Command;
        if (spec is null)
        {
            FailTransaction(session);
            RespErrors.UnknownCommand(session);
            session.CommandStarted = _unknown.Record(ok: false, session.CommandStarted);
            return true;
        }

        if (spec.Arity > 0 ? command.Count != spec.Arity : command.Count < -spec.Arity)
        {
            FailTransaction(session);
            RespErrors.WrongArity(session, spec.Name);
            session.CommandStarted = spec.Series!.Record(ok: false, session.CommandStarted);
            return true;
        }

        session.ErrorWritten = false;
        if (session.Transaction.InMulti && spec.InTransaction != TransactionRole.Immediate)
        {
            Queue(spec, session);
            return true;
        }

        return false;
    }

    /// <summary>Runs a command whose keys this node answers for.</summary>
    private ValueTask Run(RespCommandSpec spec, RespSession session)
    {
        Touch(spec, session.Command);
        if (spec.AsyncHandler is not null)
        {
            return RunAsync(spec, session);
        }

        RunHandler(spec, session);
        return default;
    }

    private void RunHandler(RespCommandSpec spec, RespSession session)
    {
        try
        {
            spec.Handler!(session);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Fail(session, spec, e);
        }

        session.CommandStarted = spec.Series!.Record(!session.ErrorWritten, session.CommandStarted);
    }

    private async ValueTask RunAsync(RespCommandSpec spec, RespSession session)
    {
        try
        {
            await spec.AsyncHandler!(session).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
        {
            Fail(session, spec, e);
        }

        session.CommandStarted = spec.Series!.Record(!session.ErrorWritten, session.CommandStarted);
    }

    private void Fail(RespSession session, RespCommandSpec spec, Exception e)
    {
        ContractLog.UnexpectedError(_logger, e, "resp", spec.Name);
        RespErrors.Write(session, "ERR internal error while running '" + spec.Name.ToLowerInvariant() + "'");
    }

    private RespCommandSpec? Find(ReadOnlySpan<byte> name) => _lookup.Find(name);
}
