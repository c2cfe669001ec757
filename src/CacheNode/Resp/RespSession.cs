using System.IO.Pipelines;
using KubeCache.ClientContract.Resp;
using KubeCache.Hosting.Resp;
using KubeCache.Protocol;

namespace KubeCache.CacheNode.Resp;

/// <summary>The state of one RESP connection: the command being run, where replies go, and per-client settings.</summary>
public sealed class RespSession : IRespClient, IRespConnection
{
    private readonly RespCommand _read = new();
    private volatile bool _watchTouched;

    public RespSession(PipeWriter output, int outputBufferBytes, CancellationToken stopping)
    {
        Pipe = output;
        Output = output;
        OutputBufferBytes = outputBufferBytes;
        Stopping = stopping;
        Command = _read;
    }

    /// <summary>Unflushed reply bytes allowed before a long reply flushes part-way (--resp-output-buffer-bytes).</summary>
    public int OutputBufferBytes { get; }

    /// <summary>Fires when the connection is gone: closed by the client, or aborted when the node's drain ends.</summary>
    public CancellationToken Stopping { get; }

    /// <summary>Flushes when more than <see cref="OutputBufferBytes"/> are waiting, so a long reply never piles up in memory.</summary>
    public ValueTask<FlushResult> FlushIfFullAsync() =>
        Pipe.UnflushedBytes > OutputBufferBytes && !InExec ? Pipe.FlushAsync() : ValueTask.FromResult(default(FlushResult));

    /// <summary>The current command; its arguments are valid only while it runs.</summary>
    public RespCommand Command { get; private set; }

    /// <summary>The command the connection read last; <see cref="Command"/> is it except while EXEC runs a queued one.</summary>
    public RespCommand Read => _read;

    /// <summary>MULTI, the commands queued since, and WATCHed keys.</summary>
    public RespTransaction Transaction { get; } = new();

    /// <summary>Set by <see cref="WatchedKeys"/> when another command is about to write a key this connection watches.</summary>
    public bool WatchTouched
    {
        get => _watchTouched;
        set => _watchTouched = value;
    }

    /// <summary>True while EXEC runs queued commands: replies are not flushed part-way, since shard locks are held.</summary>
    public bool InExec { get; private set; }

    /// <summary>Runs <paramref name="queued"/> as the current command (EXEC), then the read one again.</summary>
    internal void RunQueued(RespCommand queued, Action run)
    {
        Command = queued;
        InExec = true;
        try
        {
            run();
        }
        finally
        {
            InExec = false;
            Command = _read;
        }
    }

    /// <summary>
    /// Where replies are written: the connection's output pipe (<see cref="Pipe"/>), flushed by the
    /// connection loop, or, while the connection is served on its transport's loop, that loop's
    /// reply buffer (<see cref="RespConnectionHandler"/>).
    /// </summary>
    public IBufferWriter<byte> Output { get; private set; }

    /// <summary>The connection's output pipe; only commands that may wait (never run on the transport's loop) flush it.</summary>
    public PipeWriter Pipe { get; }

    /// <summary>Points replies at <paramref name="inline"/>, or back at the pipe with null.</summary>
    internal void WriteRepliesTo(IBufferWriter<byte>? inline) => Output = inline ?? Pipe;

    /// <summary>Set by QUIT and by protocol errors: the loop flushes and closes.</summary>
    public bool Closing { get; set; }

    /// <summary>
    /// When the running command started (<see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>): the
    /// read that brought it in, or the end of the command before it in the same pipeline.
    /// </summary>
    public long CommandStarted { get; set; }

    /// <summary>Set when a command of the batch run from the pipes was one that may wait (<see cref="RespCommandTable.ExecuteAsync"/>); cleared as each batch starts.</summary>
    public bool MayHaveWaited { get; set; }

    /// <summary>Set when the running command replied with an error; metrics count it as failed.</summary>
    public bool ErrorWritten { get; set; }

    private long _id;

    public long Id => RespClientIds.Assign(ref _id);

    public string? Name { get; set; }

    /// <summary>Whether this connection has presented a valid API key; true from the start when authentication is off.</summary>
    public bool Authenticated { get; set; }

    /// <summary>True when a keys file is configured: HELLO then takes AUTH arguments (checked before it runs).</summary>
    public bool AuthRequired { get; init; }

    /// <summary>The protocol chosen with HELLO; replies are written in it.</summary>
    public RespProtocol Protocol { get; set; } = RespProtocol.Resp2;

    /// <summary>Writes a nil in the connection's protocol.</summary>
    public void WriteNull() => RespWriter.WriteNull(Output, Protocol);

    /// <summary>Writes a reply value in the connection's protocol.</summary>
    public void Write(RespValue reply) => RespWriter.WriteValue(Output, reply, Protocol);

    /// <summary>The ring epoch this connection's peer declared with <c>KVRING json</c> (0: none); handed-off keys need it to match.</summary>
    public long DeclaredEpoch { get; set; }

    /// <summary>The store's flush count when the ring was declared: a handed-off key is refused once the store was flushed since.</summary>
    public long DeclaredFlushes { get; set; }

    private Cluster.RingGate? _gate;
    private int _gateTicket = -1;

    /// <summary>Enters the ring gate unless this connection is inside already (one entry covers a batch of commands).</summary>
    public void EnterGate(Cluster.RingGate gate)
    {
        if (_gate is null)
        {
            _gateTicket = gate.Enter();
            _gate = gate;
        }
    }

    /// <summary>Leaves the ring gate, before anything that waits (a flush, a read, the network).</summary>
    public void LeaveGate()
    {
        if (_gate is { } gate)
        {
            _gate = null;
            gate.Leave(_gateTicket);
        }
    }

    public void Dispose()
    {
        LeaveGate();
        _read.Dispose();
    }
}
