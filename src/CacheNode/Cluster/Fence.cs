using KubeCache.CacheNode.Storage;
using KubeCache.Topology;

namespace KubeCache.CacheNode.Cluster;

/// <summary>Which node answers for a key under a <see cref="Fence"/> (see docs/topology.md, "Ownership fencing").</summary>
public enum Ownership
{
    /// <summary>This node owns the key and holds whatever there is of it.</summary>
    Mine,

    /// <summary>Another member owns the key: the node answers with a redirect naming it.</summary>
    Moved,

    /// <summary>
    /// This node owns the key now, and the previous owner (another member) may still hold it:
    /// unless the key is here already, it is taken from there before the command runs.
    /// </summary>
    MovingHere,
}

/// <summary>
/// One ring document as the node judges keys by it: this node's place in the current ring and,
/// while a rebalance runs, in the previous one. Immutable; <see cref="NodeRing"/> swaps it whole.
/// </summary>
public sealed class Fence
{
    private readonly Ring _current;
    private readonly Ring? _previous;
    private readonly int _self;
    private readonly int _previousSelf;
    private readonly TaskCompletionSource _settled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Learnt _learnt;

    /// <summary>
    /// A fence for <paramref name="document"/>. <paramref name="samePoint"/>: the fence in use, for
    /// a document at the same point that names the members at other addresses (a node's own ring
    /// source after a peer's copy): the new fence keeps what that one learnt (previous owners done,
    /// claims, copies given), since a copy refused or given under the ring must stay so.
    /// </summary>
    internal Fence(RingDocument document, string self, Fence? samePoint = null)
    {
        _learnt = samePoint?._learnt ?? new Learnt();
        Document = document;
        _current = document.CurrentRing();
        _previous = document.PreviousRing() is { Members.Count: > 0 } previous ? previous : null;
        _self = IndexOf(_current, self);
        _previousSelf = _previous is null ? -1 : IndexOf(_previous, self);
        // A ring of this node alone, or no member at all (a node nobody placed yet), needs no look-up.
        OwnsAll = _current.Members.Count == 0 || (_current.Members.Count == 1 && _self == 0 && _previous is null);
    }

    public RingDocument Document { get; }

    public long Epoch => Document.Epoch;

    /// <summary>True while the document has a previous generation.</summary>
    public bool Rebalancing => _previous is not null;

    /// <summary>True when every key is this node's, so commands skip the look-up.</summary>
    public bool OwnsAll { get; }

    /// <summary>Completes once every write judged by an earlier fence has reached the store (see <see cref="RingGate"/>).</summary>
    public Task Settled => _settled.Task;

    internal void MarkSettled() => _settled.TrySetResult();

    /// <summary>
    /// Records that a previous owner has finished handing off under this ring (<c>KVDONE</c>): it
    /// holds no key of this node's any more, so keys missing here are simply absent and need not
    /// be taken from it (which keeps working after it has been stopped).
    /// </summary>
    public void HandedOff(string previousOwner) => _learnt.HandedOff[previousOwner] = true;

    /// <summary>
    /// Judges <paramref name="key"/>; <paramref name="other"/> is the owner for
    /// <see cref="Ownership.Moved"/> and the previous owner for <see cref="Ownership.MovingHere"/>.
    /// </summary>
    public Ownership Judge(ReadOnlySpan<byte> key, out RingMember? other)
    {
        other = null;
        if (OwnsAll)
        {
            return Ownership.Mine;
        }

        ulong hash = Ring.KeyHash(key);
        int owner = _current.OwnerIndexOfHash(hash);
        if (owner != _self)
        {
            other = _current.Members[owner];
            return Ownership.Moved;
        }

        if (_previous is not null)
        {
            int before = _previous.OwnerIndexOfHash(hash);
            if (before != _previousSelf)
            {
                other = _previous.Members[before];
                return Ownership.MovingHere;
            }
        }

        return Ownership.Mine;
    }

    /// <summary>
    /// Records that a copy of <paramref name="key"/> handed off from now on must not be stored:
    /// this node took the key while a batch holding a copy was on its way here, or a command is
    /// about to write the key here (see <see cref="JudgeFor"/>). Bounded by the keys moving here
    /// that are taken or written during the rebalance, and dropped with the fence when it ends.
    /// Claims are read and written only under the claim lock (see <see cref="StoreUnlessClaimed"/>).
    /// </summary>
    public void Claim(ReadOnlySpan<byte> key)
    {
        lock (_learnt.Claiming)
        {
            _learnt.Claims.Add(Convert.ToBase64String(key));
        }
    }

    /// <summary>
    /// Runs <paramref name="store"/>, which stores a handed-off copy of <paramref name="key"/>,
    /// unless the key was claimed (<see cref="StoreStatus.NotSet"/> then). The check and the store
    /// are one step as <see cref="Claim"/> sees them: a copy checked before a take's claim and
    /// stored after it would land after the command that took the key, undoing what it did.
    /// Stored first, the copy is the one the take finds here (the same value, as the previous
    /// owner writes the key no more).
    /// </summary>
    internal StoreStatus StoreUnlessClaimed(ReadOnlySpan<byte> key, Func<StoreStatus> store)
    {
        lock (_learnt.Claiming)
        {
            return IsClaimedLocked(key) ? StoreStatus.NotSet : store();
        }
    }

    private bool IsClaimed(ReadOnlySpan<byte> key)
    {
        lock (_learnt.Claiming)
        {
            return IsClaimedLocked(key);
        }
    }

    private bool IsClaimedLocked(ReadOnlySpan<byte> key) => _learnt.Claims.Count > 0 && _learnt.Claims.Contains(Convert.ToBase64String(key));

    /// <summary>
    /// Records that this node gave <paramref name="key"/> (a value of <paramref name="kind"/>) away to a take with <paramref name="token"/>
    /// (KVTAKE), so that the same take asked again, after its answer was lost on the way, gets the
    /// same copy instead of nothing. Held while this ring is in use: a new owner retries a take under
    /// the ring it took by, and takes happen only while a key moves here.
    /// </summary>
    internal void Gave(string key, string token, byte[] value, ValueKind kind, long expiresAt) => _learnt.Given[key] = new GivenKey(token, value, kind, expiresAt);

    /// <summary>Forgets every copy given away (FLUSHALL): a take asked again finds nothing, as it would had it come after the flush.</summary>
    internal void ForgetGiven() => _learnt.Given.Clear();

    /// <summary>
    /// Every key given to a take under this ring (see <see cref="Gave"/>) with the copy given, for
    /// the previous owner's handoff to send once more in case a take's answer was lost.
    /// </summary>
    internal IEnumerable<(string Id, GivenKey Copy)> GivenCopies() => _learnt.Given.Select(given => (given.Key, given.Value));

    /// <summary>The copy given to the take with <paramref name="token"/>, if <paramref name="key"/> was given to it (see <see cref="Gave"/>).</summary>
    internal bool TryGiven(string key, string token, out GivenKey given) =>
        _learnt.Given.TryGetValue(key, out given!) && given.Token == token;

    /// <summary>
    /// Judges <paramref name="key"/> for a command about it: a key moving here that is here
    /// already (handed off, taken, or written since), or was claimed here, or whose previous
    /// owner has handed off all it had, is simply <see cref="Ownership.Mine"/>. For a command
    /// that <paramref name="writes"/>, such a key is claimed first: a copy of it may still come
    /// from its previous owner (a batch sent again because the answer to the first was lost, an
    /// abandoned attempt's bytes read late, or, by a take, the copy the previous owner keeps until
    /// a batch is answered), and stored "if absent" after this command deleted the key, it would
    /// bring back an older value.
    /// </summary>
    public Ownership JudgeFor(ReadOnlySpan<byte> key, CacheStore store, bool writes, out RingMember? other)
    {
        Ownership ownership = Judge(key, out other);
        if (ownership != Ownership.MovingHere
            || !(_learnt.HandedOff.ContainsKey(other!.Name) || store.Peek(key, out _, out _, out _) == StoreStatus.Ok || IsClaimed(key)))
        {
            return ownership;
        }

        if (writes)
        {
            Claim(key);
        }

        return Ownership.Mine;
    }

    /// <summary>What a ring learns while it is in use; shared by the fences of documents at the same point (see <see cref="Fence(RingDocument, string, Fence?)"/>).</summary>
    private sealed class Learnt
    {
        /// <summary>Previous owners that said KVDONE (see <see cref="Fence.HandedOff"/>).</summary>
        public System.Collections.Concurrent.ConcurrentDictionary<string, bool> HandedOff { get; } = new(StringComparer.Ordinal);

        /// <summary>Keys claimed here (see <see cref="Fence.Claim"/>), read and written under <see cref="Claiming"/>.</summary>
        public HashSet<string> Claims { get; } = new(StringComparer.Ordinal);

        public Lock Claiming { get; } = new();

        /// <summary>Copies given to takes (see <see cref="Fence.Gave"/>).</summary>
        public System.Collections.Concurrent.ConcurrentDictionary<string, GivenKey> Given { get; } = new(StringComparer.Ordinal);
    }

    private static int IndexOf(Ring ring, string name)
    {
        for (int i = 0; i < ring.Members.Count; i++)
        {
            if (ring.Members[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>A key a take carried away: what it answered, kept for that take's retry (<see cref="Fence.Gave"/>).</summary>
internal sealed record GivenKey(string Token, byte[] Value, ValueKind Kind, long ExpiresAt);
