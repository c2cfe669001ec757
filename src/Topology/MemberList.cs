namespace KubeCache.Topology;

/// <summary>Checks and comparisons of member lists shared by the ring, the document and the coordinator.</summary>
internal static class MemberList
{
    /// <summary>
    /// What is wrong with <paramref name="members"/> as a ring membership (a missing entry, an
    /// empty name, a name used twice), or null when nothing is.
    /// </summary>
    public static string? FindProblem(IReadOnlyList<RingMember>? members)
    {
        if (members is null)
        {
            return "the member list is missing";
        }

        var seen = new HashSet<string>(members.Count, StringComparer.Ordinal);
        for (int i = 0; i < members.Count; i++)
        {
            RingMember? member = members[i];
            if (member is null)
            {
                return $"member {i} is null";
            }

            if (string.IsNullOrEmpty(member.Name))
            {
                return $"member {i} has an empty name; every member needs its stable name, for example the pod name";
            }

            if (!seen.Add(member.Name))
            {
                return $"the name \"{member.Name}\" is used by more than one member; names must be unique";
            }
        }

        return null;
    }

    /// <summary>Whether both lists hold the same names, in any order (names are unique in each).</summary>
    public static bool SameNames(IReadOnlyList<RingMember> left, IReadOnlyList<RingMember> right)
    {
        if (left.Count != right.Count)
        {
            return false;
        }

        var names = new HashSet<string>(left.Count, StringComparer.Ordinal);
        foreach (RingMember member in left)
        {
            names.Add(member.Name);
        }

        foreach (RingMember member in right)
        {
            if (!names.Contains(member.Name))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether both lists hold equal members (name and addresses), in any order.</summary>
    public static bool SameMembers(IReadOnlyList<RingMember> left, IReadOnlyList<RingMember> right)
    {
        if (left.Count != right.Count)
        {
            return false;
        }

        var members = new HashSet<RingMember>(left);
        foreach (RingMember member in right)
        {
            if (!members.Contains(member))
            {
                return false;
            }
        }

        return true;
    }

    public static string[] Names(IEnumerable<RingMember> members) => [.. members.Select(m => m.Name)];
}
