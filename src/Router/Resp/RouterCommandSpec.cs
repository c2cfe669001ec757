using KubeCache.ClientContract.Resp;
using KubeCache.Protocol;

namespace KubeCache.Router.Resp;

/// <summary>
/// Starts one command; the returned task completes with its reply. Everything it needs from
/// <paramref name="command"/> must be taken (or forwarded, which copies it) before it first
/// awaits, because the command's buffer is reused for the next command of the batch.
/// </summary>
/// <exception cref="Upstream.UpstreamException">A node could not answer; the caller turns it into an error reply.</exception>
/// <exception cref="Routing.NoRingException">No ring yet; likewise.</exception>
public delegate ValueTask<RespValue> RouterCommandHandler(RespCommand command, RespClientState client, CancellationToken cancellationToken);

/// <summary>
/// Turns a node's reply (nodes answer the router in RESP2) into the one Redis gives a client of
/// <paramref name="protocol"/>, for a call of <paramref name="count"/> arguments.
/// </summary>
public delegate RespValue ReplyShape(RespValue reply, int count, RespProtocol protocol);

/// <summary>Which keys a command reads or writes, so a pipeline keeps commands on one key in order (see <see cref="PipelineOrder"/>).</summary>
public enum KeyAccess
{
    /// <summary>No key: answered by the router from its own state.</summary>
    None,

    /// <summary>Reads the key at argument 1.</summary>
    ReadsKey,

    /// <summary>Writes (or may write) the key at argument 1.</summary>
    WritesKey,

    /// <summary>Reads every argument from 1 on as a key (MGET, EXISTS).</summary>
    ReadsKeys,

    /// <summary>Writes every argument from 1 on as a key (DEL, UNLINK).</summary>
    WritesKeys,

    /// <summary>Writes the keys of key-value pairs from argument 1 on (MSET).</summary>
    WritesPairs,

    /// <summary>Reads every key of every node (DBSIZE, SCAN).</summary>
    ReadsAll,

    /// <summary>Writes every key of every node (FLUSHALL, FLUSHDB).</summary>
    WritesAll,
}

/// <summary>
/// A command the router speaks. <see cref="Arity"/> follows Redis and the node: a positive number
/// is the exact argument count (name included), a negative one the minimum.
/// </summary>
public sealed class RouterCommandSpec(string name, int arity, RouterCommandHandler handler, KeyAccess access = KeyAccess.None)
{
    public string Name { get; } = name;

    public int Arity { get; } = arity;

    public RouterCommandHandler Handler { get; } = handler;

    public KeyAccess Access { get; } = access;

    /// <summary>Steps between the keys from argument 1 on; a single-key command steps past the end after argument 1.</summary>
    public int KeyStride { get; } = access switch
    {
        KeyAccess.ReadsKeys or KeyAccess.WritesKeys => 1,
        KeyAccess.WritesPairs => 2,
        _ => int.MaxValue - 1,
    };

    /// <summary>
    /// What the command does after MULTI: a command about keys is queued for their owner; one the
    /// router answers itself or gathers from every node is refused unless marked otherwise.
    /// </summary>
    public TransactionRole InTransaction { get; init; } = access is KeyAccess.None or KeyAccess.ReadsAll or KeyAccess.WritesAll
        ? TransactionRole.Refused
        : TransactionRole.Queued;

    /// <summary>
    /// Rebuilds what RESP2 flattens (HGETALL's map, HRANDFIELD … WITHVALUES's pairs, LCS … IDX's map)
    /// in the command's reply and in its reply inside EXEC; null when the node's reply stands as it is.
    /// It sees every reply but errors.
    /// </summary>
    public ReplyShape? Shape { get; init; }

    /// <summary>The reply as the client gets it: <see cref="Shape"/> applied, unless it is an error.</summary>
    public RespValue Shaped(RespValue reply, int count, RespProtocol protocol) =>
        Shape is null || reply.IsError ? reply : Shape(reply, count, protocol);

    /// <summary>The lower-case name, as metrics and error messages use it.</summary>
    public string MetricName { get; } = name.ToLowerInvariant();

    /// <summary>The reply to a call with the wrong number of arguments, built once.</summary>
    public RespValue WrongArity { get; } = RouterRespErrors.WrongArity(name);

    public bool AcceptsCount(int count) => Arity > 0 ? count == Arity : count >= -Arity;
}
