using System.Globalization;

namespace KubeCache.Consistency.Tests.History;

/// <summary>
/// A command on one key as the model sees it: its RESP arguments, and what it does to a state and
/// answers there. Replies are compared in a canonical text form (<see cref="Replies"/>).
/// </summary>
public abstract record KeyOp
{
    /// <summary>False for reads, which never change a key.</summary>
    public virtual bool Writes => true;

    public abstract string[] Arguments(string key);

    /// <summary>The state after the command and its reply, when it runs on <paramref name="state"/> within [<paramref name="from"/>, <paramref name="to"/>].</summary>
    public abstract (KeyState Next, string Reply) Apply(KeyState state, long from, long to);

    /// <summary>What <paramref name="reply"/> says the key held before the command, for naming a violation.</summary>
    public abstract Observed Implied(string reply);

    protected static string Integer(long value) => ":" + value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>What a reply says a key held: nothing, a value, a value of some length (<see cref="Value"/>), something, or it cannot tell.</summary>
public readonly record struct Observed(ObservedKind Kind, string? Value = null);

public enum ObservedKind
{
    Absent,
    Value,
    Length,
    Present,
    Unknown,
}

/// <summary>SET k v, with EX seconds or PX milliseconds when given.</summary>
public sealed record SetOp(string Value, long TtlMs = 0, bool InSeconds = false) : KeyOp
{
    public override string[] Arguments(string key) => TtlMs == 0
        ? ["SET", key, Value]
        : ["SET", key, Value, InSeconds ? "EX" : "PX", (InSeconds ? TtlMs / 1000 : TtlMs).ToString(CultureInfo.InvariantCulture)];

    public override (KeyState Next, string Reply) Apply(KeyState state, long from, long to) =>
        (TtlMs == 0 ? KeyState.Of(Value) : KeyState.Expiring(Value, TtlMs, from, to), Replies.Ok);

    public override Observed Implied(string reply) => new(ObservedKind.Unknown);
}

/// <summary>A removal answered 1 or 0: DEL, UNLINK, EXPIRE k 0, PEXPIREAT k 1 (a time long past).</summary>
public sealed record RemoveOp(string Command) : KeyOp
{
    public override string[] Arguments(string key) => Command switch
    {
        "EXPIRE" => ["EXPIRE", key, "0"],
        "PEXPIREAT" => ["PEXPIREAT", key, "1"],
        _ => [Command, key],
    };

    public override (KeyState Next, string Reply) Apply(KeyState state, long from, long to) =>
        (KeyState.Absent, Integer(state.Present ? 1 : 0));

    public override Observed Implied(string reply) =>
        reply == Integer(0) ? new(ObservedKind.Absent) : reply == Integer(1) ? new(ObservedKind.Present) : new(ObservedKind.Unknown);
}

public sealed record GetDelOp : KeyOp
{
    public override string[] Arguments(string key) => ["GETDEL", key];

    public override (KeyState Next, string Reply) Apply(KeyState state, long from, long to) => (KeyState.Absent, Replies.Bulk(state.Value));

    public override Observed Implied(string reply) => Replies.ImpliedByBulk(reply);
}

public sealed record GetOp : KeyOp
{
    public override bool Writes => false;

    public override string[] Arguments(string key) => ["GET", key];

    public override (KeyState Next, string Reply) Apply(KeyState state, long from, long to) => (state, Replies.Bulk(state.Value));

    public override Observed Implied(string reply) => Replies.ImpliedByBulk(reply);
}

/// <summary>INCR (<see cref="By"/> 1) or INCRBY; keeps the TTL, as Redis does.</summary>
public sealed record IncrOp(long By) : KeyOp
{
    public override string[] Arguments(string key) => By == 1 ? ["INCR", key] : ["INCRBY", key, By.ToString(CultureInfo.InvariantCulture)];

    public override (KeyState Next, string Reply) Apply(KeyState state, long from, long to)
    {
        if (!state.Present)
        {
            return (KeyState.Of(By.ToString(CultureInfo.InvariantCulture)), Integer(By));
        }

        if (!long.TryParse(state.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
        {
            return (state, Replies.NotAnInteger);
        }

        string next = (value + By).ToString(CultureInfo.InvariantCulture);
        return (state.WithValue(next), Integer(value + By));
    }

    public override Observed Implied(string reply) =>
        reply == Integer(By) ? new(ObservedKind.Absent)
        : reply.StartsWith(':') && long.TryParse(reply.AsSpan(1), CultureInfo.InvariantCulture, out long result)
            ? new(ObservedKind.Value, (result - By).ToString(CultureInfo.InvariantCulture))
            : new(ObservedKind.Unknown);
}

/// <summary>APPEND k suffix; keeps the TTL.</summary>
public sealed record AppendOp(string Suffix) : KeyOp
{
    public override string[] Arguments(string key) => ["APPEND", key, Suffix];

    public override (KeyState Next, string Reply) Apply(KeyState state, long from, long to)
    {
        string value = (state.Value ?? "") + Suffix;
        return (state.Present ? state.WithValue(value) : KeyState.Of(value), Integer(value.Length));
    }

    public override Observed Implied(string reply) =>
        reply == Integer(Suffix.Length) ? new(ObservedKind.Absent)
        : reply.StartsWith(':') && int.TryParse(reply.AsSpan(1), CultureInfo.InvariantCulture, out int length)
            ? new(ObservedKind.Length, (length - Suffix.Length).ToString(CultureInfo.InvariantCulture))
            : new(ObservedKind.Unknown);
}
