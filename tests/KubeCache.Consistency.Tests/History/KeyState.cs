namespace KubeCache.Consistency.Tests.History;

/// <summary>
/// One possible state of a key: absent, or a value with the window (run clock, ms) in which its
/// TTL runs out. The window spans the round trip of the command that set the TTL, since the
/// node starts the clock somewhere inside it. <see cref="Lost"/> marks a value a deadline
/// finish may have left behind (a key not moved in time): it may read as missing, which is
/// reported, not a violation, and may come back later when a handoff moves it after all.
/// </summary>
public readonly record struct KeyState(string? Value, long ExpiresFrom, long ExpiresBy, bool Lost = false)
{
    public const long Never = long.MaxValue;

    /// <summary>Slack for clock granularity between the test and the node.</summary>
    public const long ExpiryMarginMs = 50;

    public static readonly KeyState Absent = new(null, Never, Never);

    public bool Present => Value is not null;

    public static KeyState Of(string value) => new(value, Never, Never);

    /// <summary>The value with a TTL of <paramref name="ttlMs"/> started within [<paramref name="from"/>, <paramref name="to"/>].</summary>
    public static KeyState Expiring(string value, long ttlMs, long from, long to) => new(value, from + ttlMs, to + ttlMs);

    /// <summary>The states this one can be in when a command runs somewhere within [<paramref name="from"/>, <paramref name="to"/>].</summary>
    public IEnumerable<KeyState> At(long from, long to)
    {
        if (!Present || ExpiresFrom == Never || to + ExpiryMarginMs < ExpiresFrom)
        {
            yield return this;
        }
        else if (from - ExpiryMarginMs > ExpiresBy)
        {
            yield return Absent;
            yield break;
        }
        else
        {
            yield return this;
            yield return Absent;
        }

        if (Present && Lost)
        {
            yield return this with { Value = null };
        }
    }

    public KeyState WithValue(string value) => this with { Value = value, Lost = false };

    public override string ToString() => !Present
        ? Lost ? "(missing: deadline)" : "(absent)"
        : (ExpiresFrom == Never ? $"\"{Value}\"" : $"\"{Value}\" expiring {ExpiresFrom}-{ExpiresBy} ms") + (Lost ? " or missing (deadline)" : "");
}
