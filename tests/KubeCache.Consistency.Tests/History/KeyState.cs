namespace KubeCache.Consistency.Tests.History;

/// <summary>
/// One possible state of a key: absent, or a value with the window (run clock, ms) in which its
/// TTL runs out. The window spans the round trip of the command that set the TTL, since the
/// node starts the clock somewhere inside it. <see cref="Lost"/> marks the absence a deadline
/// finish may cause (keys not moved in time), which is reported, not a violation.
/// </summary>
public readonly record struct KeyState(string? Value, long ExpiresFrom, long ExpiresBy, bool Lost = false)
{
    public const long Never = long.MaxValue;

    /// <summary>Slack for clock granularity between the test and the node.</summary>
    public const long ExpiryMarginMs = 50;

    public static readonly KeyState Absent = new(null, Never, Never);

    public static readonly KeyState LostByDeadline = new(null, Never, Never, Lost: true);

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
        }
        else
        {
            yield return this;
            yield return Absent;
        }
    }

    public KeyState WithValue(string value) => this with { Value = value, Lost = false };

    public override string ToString() => !Present
        ? Lost ? "(missing: deadline)" : "(absent)"
        : ExpiresFrom == Never ? $"\"{Value}\"" : $"\"{Value}\" expiring {ExpiresFrom}-{ExpiresBy} ms";
}
