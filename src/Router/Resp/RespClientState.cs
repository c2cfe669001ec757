using System.Buffers;
using System.IO.Pipelines;
using KubeCache.ClientContract.Resp;
using KubeCache.Hosting.Resp;
using KubeCache.Protocol;
using KubeCache.Router.Routing;

namespace KubeCache.Router.Resp;

/// <summary>
/// What the router remembers about one client connection: the command being read, CLIENT ID and
/// the name given by CLIENT SETNAME or HELLO, the protocol, the transaction, and the replies of
/// the batch not yet written.
/// </summary>
public sealed class RespClientState(IDuplexPipe transport) : IRespClient, IRespConnection
{
    private long _id;

    public long Id => RespClientIds.Assign(ref _id);

    public RespCommand Command { get; } = new();

    /// <summary>Whether the connection has presented a valid API key; true from the start when authentication is off.</summary>
    public bool Authenticated { get; set; }

    public bool AuthRequired { get; init; }

    public bool Closing { get; set; }

    public string? Name { get; set; }

    /// <summary>MULTI's queue and the WATCH connection.</summary>
    public RouterTransaction Transaction { get; } = new();

    /// <summary>The protocol chosen with HELLO; each reply is written in the one in force when its command was read.</summary>
    public RespProtocol Protocol { get; set; } = RespProtocol.Resp2;

    /// <summary>The connection's output pipe.</summary>
    internal PipeWriter Output { get; } = transport.Output;

    /// <summary>Where the replies are written: <see cref="Output"/>, or the transport loop's buffer while the connection is served there.</summary>
    internal IBufferWriter<byte> Replies { get; set; } = transport.Output;

    /// <summary>Whether the client's next input has arrived already; it stays unread.</summary>
    internal bool HasInput()
    {
        if (!transport.Input.TryRead(out ReadResult result))
        {
            return false;
        }

        transport.Input.AdvanceTo(result.Buffer.Start);
        return !result.Buffer.IsEmpty;
    }

    /// <summary>The replies of the current batch, in request order, each with the protocol to write it in.</summary>
    internal List<PendingReply> Pending { get; } = [];

    /// <summary>How many of <see cref="Pending"/> are written.</summary>
    internal int Written { get; set; }

    /// <summary>Whether a reply of the batch had to be waited for.</summary>
    internal bool Waited { get; set; }

    /// <summary>Whether a reply of the batch had to be waited for; false again afterwards.</summary>
    internal bool TakeWaited()
    {
        bool waited = Waited;
        Waited = false;
        return waited;
    }

    /// <summary>
    /// Set by a handler that forwarded its command without following its reply
    /// (<see cref="KeyRouter.Forward"/>), for <see cref="RouterCommands.Start"/> to hand to the
    /// batch's writer, which follows a redirect once the reply is there; taken at once.
    /// </summary>
    internal Forwarded? Forwarded { get; set; }

    /// <summary>The keys the batch's unanswered commands read and write.</summary>
    internal PipelineOrder Order { get; } = new();

    public void Dispose() => Command.Dispose();
}
