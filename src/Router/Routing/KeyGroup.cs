using KubeCache.Topology;

namespace KubeCache.Router.Routing;

/// <summary>The keys of one owner in a multi-key command: where they stand in the request, in request order.</summary>
internal sealed class KeyGroup(RingMember owner)
{
    public RingMember Owner { get; } = owner;

    /// <summary>Indexes of the group's keys in the command's copied arguments.</summary>
    public List<int> Positions { get; } = [];

    /// <summary>
    /// Groups keys by owner, the groups in order of their first key. <paramref name="arguments"/>
    /// holds keys at 0, <paramref name="stride"/>, 2×stride… (stride 2 for MSET's key-value pairs).
    /// </summary>
    public static List<KeyGroup> ByOwner(Ring ring, ReadOnlyMemory<byte>[] arguments, int stride) =>
        ByOwner(ring, arguments, Enumerable.Range(0, (arguments.Length + stride - 1) / stride).Select(i => i * stride));

    /// <summary>Groups the keys at <paramref name="positions"/> of <paramref name="arguments"/> by owner, the groups in order of their first key.</summary>
    public static List<KeyGroup> ByOwner(Ring ring, ReadOnlyMemory<byte>[] arguments, IEnumerable<int> positions)
    {
        var groups = new List<KeyGroup>();
        var byMember = new KeyGroup?[ring.Members.Count];
        foreach (int position in positions)
        {
            int member = ring.OwnerIndexOf(arguments[position].Span);
            KeyGroup? group = byMember[member];
            if (group is null)
            {
                group = byMember[member] = new KeyGroup(ring.Members[member]);
                groups.Add(group);
            }

            group.Positions.Add(position);
        }

        return groups;
    }

    /// <summary>The sub-command for this owner: <paramref name="name"/>, then <paramref name="width"/> arguments from each position.</summary>
    public ReadOnlyMemory<byte>[] Command(ReadOnlyMemory<byte> name, ReadOnlyMemory<byte>[] arguments, int width)
    {
        var command = new ReadOnlyMemory<byte>[1 + (Positions.Count * width)];
        command[0] = name;
        int next = 1;
        foreach (int position in Positions)
        {
            for (int i = 0; i < width; i++)
            {
                command[next++] = arguments[position + i];
            }
        }

        return command;
    }
}
