using KubeCache.Topology;

namespace KubeCache.Router.Routing;

/// <summary>
/// A command <see cref="KeyRouter.Forward"/> sent to <see cref="Owner"/> by <see cref="Routes"/>,
/// kept until its reply is known to be final: its arguments (a copy, as the client's input is
/// released before the reply comes), and where its key is among them.
/// </summary>
public sealed record Forwarded(RingMember Owner, Routes Routes, ReadOnlyMemory<byte>[] Command, int KeyIndex);
