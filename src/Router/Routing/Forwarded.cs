using System.Buffers.Binary;
using KubeCache.Protocol;
using KubeCache.Topology;

namespace KubeCache.Router.Routing;

/// <summary>
/// A command <see cref="KeyRouter.Forward"/> sent to <see cref="Owner"/> by <see cref="Routes"/>,
/// kept until its reply is known to be final: its arguments (a copy, as the client's input is
/// released before the reply comes), and where its key is among them.
/// </summary>
/// <remarks>
/// One buffer holds the arguments, each as its length (4 bytes) then its bytes: every forwarded
/// command makes one, and few are ever followed, so the argument list is built only for those.
/// </remarks>
public sealed class Forwarded
{
    private readonly byte[] _arguments;
    private readonly int _count;

    public Forwarded(RingMember owner, Routes routes, RespCommand command, int keyIndex)
    {
        ArgumentNullException.ThrowIfNull(command);
        Owner = owner;
        Routes = routes;
        KeyIndex = keyIndex;
        _count = command.Count;
        int bytes = 0;
        for (int i = 0; i < command.Count; i++)
        {
            bytes += sizeof(int) + command[i].Length;
        }

        _arguments = new byte[bytes];
        Span<byte> free = _arguments;
        for (int i = 0; i < command.Count; i++)
        {
            ReadOnlySpan<byte> argument = command[i];
            BinaryPrimitives.WriteInt32LittleEndian(free, argument.Length);
            argument.CopyTo(free[sizeof(int)..]);
            free = free[(sizeof(int) + argument.Length)..];
        }
    }

    public RingMember Owner { get; }

    public Routes Routes { get; }

    /// <summary>Where the key is among the arguments (the name is argument 0).</summary>
    public int KeyIndex { get; }

    /// <summary>The command, name first, for sending it again: views of the copy, built on each call.</summary>
    public ReadOnlyMemory<byte>[] Arguments()
    {
        var arguments = new ReadOnlyMemory<byte>[_count];
        int offset = 0;
        for (int i = 0; i < _count; i++)
        {
            int length = BinaryPrimitives.ReadInt32LittleEndian(_arguments.AsSpan(offset));
            arguments[i] = _arguments.AsMemory(offset + sizeof(int), length);
            offset += sizeof(int) + length;
        }

        return arguments;
    }
}
