namespace KubeCache.Consistency.Tests.History;

public enum ChangeKind
{
    Add,
    Remove,
    AddAndRemove,
}

/// <summary>
/// One ring change of a schedule. <see cref="DeadlineFinish"/>: the coordinator finishes it after
/// a short wait instead of waiting for every handoff (keys not moved may then be missing).
/// <see cref="BackToBack"/>: the next change starts as soon as this one is finished.
/// </summary>
public sealed record RingChange(ChangeKind Kind, bool DeadlineFinish = false, bool BackToBack = false)
{
    /// <summary><paramref name="count"/> changes drawn from <paramref name="random"/>: mostly plain, a fifth back to back, a sixth finished at the deadline.</summary>
    public static IReadOnlyList<RingChange> Draw(Random random, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => new RingChange(
            (ChangeKind)random.Next(3), DeadlineFinish: random.Next(6) == 0, BackToBack: random.Next(5) == 0))];

    public override string ToString() => $"{Kind}{(DeadlineFinish ? "+deadline" : "")}{(BackToBack ? "+back-to-back" : "")}";
}
