using System.Collections.ObjectModel;
using System.IO.Hashing;
using KubeCache.Topology.Hashing;

namespace KubeCache.Topology;

/// <summary>
/// Which member owns which key, by rendezvous (highest random weight) hashing: a key belongs
/// to the member whose seed, mixed with the key's hash, weighs most. Adding or removing a
/// member moves only the keys that member gains or held, placement depends on member names
/// only (never on order or addresses), and a lookup costs one 64-bit mix per member.
/// Immutable and safe to share between threads.
/// </summary>
public sealed class Ring
{
    /// <summary>The most members a ring holds: the weight keeps a member's name rank in its low 16 bits.</summary>
    public const int MaxMembers = RendezvousScore.MaxMembers;

    private readonly RingMember[] _members;

    // Per member in ordinal name order: the seed, and the member's index in _members.
    private readonly ulong[] _seedsByName;
    private readonly int[] _memberIndexByName;
    private readonly Dictionary<string, int> _indexByName;

    /// <param name="members">
    /// The members, names unique and non-empty, at most <see cref="MaxMembers"/>; may be
    /// empty, in which case lookups throw.
    /// </param>
    /// <exception cref="ArgumentException">A member is null, has an empty name, or shares its name; or there are too many.</exception>
    public Ring(IReadOnlyList<RingMember> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (MemberList.FindProblem(members) is { } problem)
        {
            ThrowHelper.ThrowArgument(nameof(members), $"Invalid ring members: {problem}.");
        }

        if (members.Count > MaxMembers)
        {
            ThrowHelper.ThrowArgument(nameof(members), $"A ring holds at most {MaxMembers} members; {members.Count} were given.");
        }

        _members = [.. members];
        _indexByName = new Dictionary<string, int>(_members.Length, StringComparer.Ordinal);
        for (int i = 0; i < _members.Length; i++)
        {
            _indexByName.Add(_members[i].Name, i);
        }

        _memberIndexByName = [.. Enumerable.Range(0, _members.Length).OrderBy(i => _members[i].Name, StringComparer.Ordinal)];
        _seedsByName = [.. _memberIndexByName.Select(i => RendezvousScore.SeedOf(_members[i].Name))];
        Members = new ReadOnlyCollection<RingMember>(_members);
    }

    /// <summary>The members in the order given to the constructor.</summary>
    public IReadOnlyList<RingMember> Members { get; }

    /// <summary>The member named <paramref name="name"/> (ordinal comparison), or null.</summary>
    public RingMember? Find(string name) =>
        _indexByName.TryGetValue(name, out int index) ? _members[index] : null;

    /// <summary>The hash a key is placed by: XXH64 with seed 0 of its bytes.</summary>
    public static ulong KeyHash(ReadOnlySpan<byte> key) => XxHash64.HashToUInt64(key);

    /// <summary>The member that owns <paramref name="key"/>.</summary>
    /// <exception cref="InvalidOperationException">The ring has no members.</exception>
    public RingMember OwnerOf(ReadOnlySpan<byte> key) => _members[OwnerIndexOfHash(KeyHash(key))];

    /// <summary>The index into <see cref="Members"/> of the member that owns <paramref name="key"/>.</summary>
    /// <exception cref="InvalidOperationException">The ring has no members.</exception>
    public int OwnerIndexOf(ReadOnlySpan<byte> key) => OwnerIndexOfHash(KeyHash(key));

    /// <summary>The member that owns the key whose <see cref="KeyHash"/> is <paramref name="keyHash"/>.</summary>
    /// <exception cref="InvalidOperationException">The ring has no members.</exception>
    public RingMember OwnerOfHash(ulong keyHash) => _members[OwnerIndexOfHash(keyHash)];

    /// <summary>The index into <see cref="Members"/> of the owner of the key hashed to <paramref name="keyHash"/>.</summary>
    /// <exception cref="InvalidOperationException">The ring has no members.</exception>
    public int OwnerIndexOfHash(ulong keyHash)
    {
        ulong[] seeds = _seedsByName;
        if (seeds.Length == 0)
        {
            ThrowHelper.ThrowEmptyRing();
        }

        // Weights are distinct (each carries its member's name rank), so the maximum names
        // one member whatever the order of the list.
        ulong best = 0;
        for (int rank = 0; rank < seeds.Length; rank++)
        {
            ulong weight = RendezvousScore.Of(keyHash, seeds[rank], rank);
            best = RendezvousScore.Max(best, weight);
        }

        return _memberIndexByName[RendezvousScore.RankOf(best)];
    }
}
