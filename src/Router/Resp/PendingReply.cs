using KubeCache.Protocol;
using KubeCache.Router.Routing;

namespace KubeCache.Router.Resp;

/// <summary>
/// A command's reply as its batch holds it until it is written, in the protocol to write it in.
/// A reply that was not there when the command started keeps what finishing it needs (its
/// command's <see cref="Spec"/>, argument count and the protocol it was asked in): the batch's
/// writer, which awaits it anyway, finishes it (<see cref="RouterCommands.Finish(PendingReply, RespValue)"/>),
/// so no command needs an await of its own; it also follows a forwarded command's redirect.
/// </summary>
internal readonly record struct PendingReply(ValueTask<RespValue> Reply, RespProtocol Protocol)
{
    /// <summary>The command's spec while the reply is still to be finished; null once it is finished.</summary>
    public RouterCommandSpec? Spec { get; init; }

    /// <summary>The command's argument count, the name included, for shaping the reply.</summary>
    public int Count { get; init; }

    /// <summary>The protocol the command was asked in, for shaping the reply (HELLO changes the client's as it runs).</summary>
    public RespProtocol AskedIn { get; init; }

    /// <summary>The forwarded command, when the reply may be a redirect still to follow (<see cref="KeyRouter.MustFollow"/>).</summary>
    public Forwarded? Forwarded { get; init; }
}
