using System.Globalization;
using System.Text;

namespace KubeCache.Consistency.Tests.History;

/// <summary>How an answer contradicts the acknowledged history.</summary>
public enum ViolationKind
{
    /// <summary>A value older than the last acknowledged write (a lost write, or a stale read).</summary>
    StaleValue,

    /// <summary>A key back after an acknowledged removal (DEL family, EXPIRE to the past, TTL run out, FLUSHALL).</summary>
    ResurrectedRemoval,

    /// <summary>Nothing where an acknowledged write left a value.</summary>
    LostKey,

    /// <summary>A value no client wrote.</summary>
    Phantom,

    /// <summary>Any other reply the history cannot produce.</summary>
    WrongReply,
}

/// <summary>One command on a key as the client saw it, with the model's states after it.</summary>
public sealed record HistoryEntry(long From, long To, string Client, string Via, bool Lagging, string Command, string Reply, string After)
{
    public override string ToString() =>
        $"  {From,7}-{To,-7} {Client,-9} via {Via}{(Lagging ? " (lagging)" : "")}: {Command} -> {Reply}   now {After}";
}

public sealed record Violation(string Key, ViolationKind Kind, string Detail, long At, IReadOnlyList<HistoryEntry> History);

/// <summary>
/// The checker's view of one key: the set of states it can be in given every acknowledged command
/// so far (one state unless a command failed or a TTL ran out in a window). Each key has one
/// writer, so its commands are sequential; a command that failed may or may not have happened,
/// so both outcomes stay possible until a later answer tells them apart. The first contradiction
/// is recorded as the key's violation and the key is not checked further.
/// </summary>
public sealed class KeyModel(string key, string writer)
{
    /// <summary>History lines shown before a violation, at most.</summary>
    private const int ShownHistory = 16;

    private readonly Lock _lock = new();
    private readonly List<HistoryEntry> _history = [];
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);
    private HashSet<KeyState> _states = [KeyState.Absent];

    /// <summary>Rebalances that moved the key, finished at their deadline, and that some router has not applied yet.</summary>
    private int _openDeadlineFinishes;

    public string Key { get; } = key;

    /// <summary>The client that writes the key (or the loader, for keys only read after the load).</summary>
    public string Writer { get; } = writer;

    public Violation? Violation { get; private set; }

    /// <summary>True once a read found the key missing where only a deadline finish allows it.</summary>
    public bool MissingAfterDeadline { get; private set; }

    /// <summary>Commands on the key whose outcome the client never learned.</summary>
    public int Unknown { get; private set; }

    /// <summary>
    /// Until when (run clock) the key is left alone after a write whose outcome is unknown: a
    /// command the router gave up on may still reach a node, after commands sent later.
    /// </summary>
    public long QuietUntil { get; private set; }

    /// <summary>How long <see cref="QuietUntil"/> lasts after such a write.</summary>
    public const long QuietAfterUnknownMs = 3_000;

    /// <summary>
    /// Checks <paramref name="op"/>, run within [<paramref name="from"/>, <paramref name="to"/>]
    /// and answered <paramref name="reply"/> (an error: outcome unknown), and updates the states.
    /// Returns true when the answer is one the history allows.
    /// </summary>
    public bool Record(KeyOp op, string reply, long from, long to, string client, string via, bool lagging)
    {
        lock (_lock)
        {
            // Through a router that lags behind a deadline finish that moved the key, a write may
            // land at the previous owner, which the new owner no longer takes from: nothing on
            // that path knows the finished ring yet, so the write may or may not count.
            bool unknowable = lagging && op.Writes && _openDeadlineFinishes > 0;
            bool correct = Violation is null && Apply(op, reply, from, to, unknowable);
            _history.Add(new HistoryEntry(from, to, client, via, lagging, string.Join(' ', op.Arguments(Key)), reply, Describe()));
            if (Violation is { } violation && violation.History.Count == 0)
            {
                Violation = violation with { History = [.. _history.TakeLast(ShownHistory)] };
            }

            return correct;
        }
    }

    /// <summary>FLUSHALL answered OK (every key gone) or failed (maybe gone).</summary>
    public void Flushed(bool acknowledged, long at)
    {
        lock (_lock)
        {
            // A write still on its way may land after the flush.
            _states = acknowledged && at > QuietUntil ? [KeyState.Absent] : [.. _states, KeyState.Absent];
            _history.Add(new HistoryEntry(at, at, "flusher", "-", false, "FLUSHALL", acknowledged ? Replies.Ok : "(failed)", Describe()));
        }
    }

    /// <summary>A rebalance that moved the key finished at its deadline: the key may be missing from now on.</summary>
    public void MayBeLost(long at)
    {
        lock (_lock)
        {
            _states = [.. _states.Select(s => s.Present ? s with { Lost = true } : s)];
            _openDeadlineFinishes++;
            _history.Add(new HistoryEntry(at, at, "coordinator", "-", false, "(deadline finish of a rebalance that moves this key)", "", Describe()));
        }
    }

    /// <summary>Every router has applied the document of a deadline finish that <see cref="MayBeLost"/> recorded.</summary>
    public void RoutersCaughtUp()
    {
        lock (_lock)
        {
            _openDeadlineFinishes--;
        }
    }

    private bool Apply(KeyOp op, string reply, long from, long to, bool unknowable)
    {
        // A read leaves a value a deadline finish may have left behind as it was: it can still come back.
        var outcomes = _states.SelectMany(c => c.At(from, to).Select(s => (Before: s, Result: op.Apply(s, from, to) is var r && !op.Writes && c.Lost ? (Next: c, r.Reply) : r)))
            .Distinct().ToList();
        if (unknowable)
        {
            // Where it landed, the finish may discard it, so what it wrote may go missing too:
            // reading it back through a router as far behind does not make it any safer.
            _states.UnionWith(outcomes.Select(o => o.Result.Next is { Present: true } next ? next with { Lost = true } : o.Result.Next));
            _written.UnionWith(_states.Where(s => s.Present).Select(s => s.Value!));
            return !Replies.IsError(reply);
        }

        if (Replies.IsError(reply))
        {
            Unknown++;
            if (op.Writes)
            {
                QuietUntil = to + QuietAfterUnknownMs;
                _states.UnionWith(outcomes.Select(o => o.Result.Next));
                _written.UnionWith(_states.Where(s => s.Present).Select(s => s.Value!));
            }

            return false;
        }

        var matching = outcomes.Where(o => o.Result.Reply == reply).ToList();
        if (matching.Count == 0)
        {
            Violation = new Violation(Key, Classify(op.Implied(reply), outcomes.Select(o => o.Before).ToList()),
                $"{string.Join(' ', op.Arguments(Key))} answered {reply}; the history allows {string.Join(" or ", outcomes.Select(o => o.Result.Reply).Distinct())}", to, []);
            return false;
        }

        if (matching.All(o => o.Before is { Lost: true, Present: false }))
        {
            MissingAfterDeadline = true;
        }

        _states = [.. matching.Select(o => o.Result.Next)];
        foreach (KeyState state in _states.Where(s => s.Present))
        {
            _written.Add(state.Value!);
        }

        return true;
    }

    private ViolationKind Classify(Observed observed, List<KeyState> allowed) => observed.Kind switch
    {
        ObservedKind.Absent when allowed.All(s => s.Present) => ViolationKind.LostKey,
        // APPEND or INCR on an older value yields a value nobody wrote, but it comes from one that was.
        ObservedKind.Value when !_written.Contains(observed.Value!) && !DerivedFromWritten(observed.Value!) => ViolationKind.Phantom,
        ObservedKind.Value or ObservedKind.Length or ObservedKind.Present when allowed.All(s => !s.Present) => ViolationKind.ResurrectedRemoval,
        ObservedKind.Value => ViolationKind.StaleValue,
        ObservedKind.Length when _written.Any(w => w.Length.ToString(CultureInfo.InvariantCulture) == observed.Value) => ViolationKind.StaleValue,
        _ => ViolationKind.WrongReply,
    };

    private bool DerivedFromWritten(string value) =>
        long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
            ? _written.Count > 0
            : _written.Any(w => value.StartsWith(w, StringComparison.Ordinal)) || value.StartsWith('+');

    private string Describe() => _states.Count == 1 ? _states.First().ToString() : "one of " + string.Join(" | ", _states);

    /// <summary>The violation with the key's recent history and the schedule around it.</summary>
    public static string Report(Violation violation, ScheduleLog schedule)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{violation.Kind} on {violation.Key}: {violation.Detail}\n");
        text.Append("  history (run clock, ms):\n");
        foreach (HistoryEntry entry in violation.History)
        {
            text.Append(entry).Append('\n');
        }

        long from = violation.History.Count > 0 ? violation.History[0].From : violation.At;
        text.Append("  schedule meanwhile:\n").Append(schedule.Between(from - 1_000, violation.At));
        return text.ToString();
    }
}
