namespace KubeCache.Topology;

/// <summary>
/// The ring document (ConfigMap <c>&lt;cluster&gt;-ring</c>, key <c>ring.json</c>): the one
/// contract between the operator, the routers and the nodes. <see cref="Epoch"/> only grows;
/// <see cref="Previous"/> is present exactly while a rebalance is in progress.
/// </summary>
public sealed partial class RingDocument
{
    /// <summary>The name of the only key hash: XXH64 with seed 0.</summary>
    public const string Xxh64 = "xxh64";

    /// <summary>The name of the only placement scheme: rendezvous hashing over member names (see <see cref="Ring"/>).</summary>
    public const string Rendezvous = "rendezvous";

    /// <summary>The key of the ring ConfigMap that holds the document.</summary>
    public const string ConfigMapKey = "ring.json";

    private Ring? _currentRing;
    private Ring? _previousRing;

    /// <summary>The KvCluster's name.</summary>
    public required string Cluster { get; init; }

    /// <summary>The generation of <see cref="Members"/>, from 1; only grows.</summary>
    public required long Epoch { get; init; }

    /// <summary>The key hash; default and only value <see cref="Xxh64"/>.</summary>
    public string Hash { get; init; } = Xxh64;

    /// <summary>The placement scheme; default and only value <see cref="Rendezvous"/>.</summary>
    public string Scheme { get; init; } = Rendezvous;

    /// <summary>The members that own keys at <see cref="Epoch"/>.</summary>
    public required IReadOnlyList<RingMember> Members { get; init; }

    /// <summary>The membership keys are moving away from; present exactly while a rebalance is in progress.</summary>
    public RingGeneration? Previous { get; init; }

    /// <summary>The ring of <see cref="Members"/>, built once.</summary>
    public Ring CurrentRing() => _currentRing ??= new Ring(Members);

    /// <summary>The ring of <see cref="Previous"/>'s members, built once, or null when no rebalance is in progress.</summary>
    public Ring? PreviousRing() => Previous is null ? null : _previousRing ??= new Ring(Previous.Members);

    /// <summary>
    /// Whether this document is further along than <paramref name="other"/>: a newer epoch, or
    /// the same epoch finished (no <see cref="Previous"/>) where <paramref name="other"/> still
    /// rebalances. A finish keeps its epoch, so the epoch alone cannot order the two.
    /// </summary>
    public bool IsNewerThan(RingDocument? other) =>
        other is null || Epoch > other.Epoch || (Epoch == other.Epoch && Previous is null && other.Previous is not null);

    /// <summary>
    /// Checks what <see cref="Parse(ReadOnlySpan{byte})"/> checks, for a document built in
    /// code; <see cref="ToUtf8Json"/> calls it so nothing invalid is published.
    /// </summary>
    /// <exception cref="RingFormatException">A field is invalid; the message names it.</exception>
    public void Validate()
    {
        if (string.IsNullOrEmpty(Cluster))
        {
            ThrowHelper.ThrowFormat("ring.json: \"cluster\" is empty; set it to the KvCluster's name.");
        }

        if (Epoch < 1)
        {
            ThrowHelper.ThrowFormat($"ring.json: \"epoch\" is {Epoch}; epochs start at 1.");
        }

        if (Hash != Xxh64)
        {
            ThrowHelper.ThrowFormat($"ring.json: \"hash\" is \"{Hash}\", which this version does not know; the only hash is \"{Xxh64}\".");
        }

        if (Scheme != Rendezvous)
        {
            ThrowHelper.ThrowFormat($"ring.json: \"scheme\" is \"{Scheme}\", which this version does not know; the only scheme is \"{Rendezvous}\".");
        }

        ValidateMembers("members", Members);
        if (Previous is { } previous)
        {
            ValidatePrevious(previous);
        }
    }

    private void ValidatePrevious(RingGeneration previous)
    {
        if (previous.Epoch < 1 || previous.Epoch >= Epoch)
        {
            ThrowHelper.ThrowFormat(
                $"ring.json: \"previous.epoch\" is {previous.Epoch}, but it must be at least 1 and below \"epoch\" ({Epoch}).");
        }

        if (previous.StartedAtUnixMs < 0)
        {
            ThrowHelper.ThrowFormat(
                $"ring.json: \"previous.startedAtUnixMs\" is {previous.StartedAtUnixMs}; give milliseconds since the Unix epoch.");
        }

        ValidateMembers("previous.members", previous.Members);
    }

    private static void ValidateMembers(string field, IReadOnlyList<RingMember>? members)
    {
        if (MemberList.FindProblem(members) is { } problem)
        {
            ThrowHelper.ThrowFormat($"ring.json: \"{field}\" is invalid: {problem}.");
        }

        for (int i = 0; i < members!.Count; i++)
        {
            if (string.IsNullOrEmpty(members[i].Http) || string.IsNullOrEmpty(members[i].Resp))
            {
                ThrowHelper.ThrowFormat(
                    $"ring.json: \"{field}[{i}]\" ({members[i].Name}) needs both \"http\" and \"resp\" addresses as \"host:port\".");
            }
        }
    }
}
