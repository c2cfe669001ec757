using System.Globalization;
using System.Text;

namespace KubeCache.Consistency.Tests.History;

/// <summary>What one schedule did and found.</summary>
public sealed record HistoryResult(
    int Seed,
    string Reproduce,
    IReadOnlyList<RingChange> Changes,
    HistoryStats Stats,
    IReadOnlyList<Violation> Violations,
    int MissingAfterDeadline,
    IReadOnlyList<string> Problems,
    ScheduleLog Schedule,
    string Directory,
    long LinkCuts)
{
    /// <summary>Violations and problems (a rebalance that never finished): what fails a test.</summary>
    public bool Failed => Violations.Count > 0 || Problems.Count > 0;

    public string Summary =>
        string.Create(CultureInfo.InvariantCulture,
            $"seed {Seed}: changes [{string.Join(", ", Changes)}], {Stats.Operations} operations ({Stats.Unknown} unknown outcome), " +
            $"{Violations.Count} violations{ByKind()}, {MissingAfterDeadline} missing after a deadline finish (reported), " +
            $"lagging-router answers correct {Stats.LaggingCorrect}/{Stats.Lagging}{(LinkCuts > 0 ? $", {LinkCuts} node-to-node connections cut" : "")}");

    /// <summary>Everything a developer needs to reproduce and understand a failure.</summary>
    public string Report(int shownViolations = 5)
    {
        var text = new StringBuilder();
        text.Append(Summary).Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"reproduce: {Reproduce}   (process logs and ring files: {Directory})\n");
        foreach (string problem in Problems)
        {
            text.Append("PROBLEM: ").Append(problem).Append('\n');
        }

        // One of each kind first: the rare kinds are the ones worth reading.
        IEnumerable<Violation> shown = Violations.GroupBy(v => v.Kind).Select(g => g.First())
            .Concat(Violations).Distinct().Take(Math.Max(shownViolations, Violations.Select(v => v.Kind).Distinct().Count()));
        foreach (Violation violation in shown)
        {
            text.Append(KeyModel.Report(violation, Schedule));
        }

        if (Violations.Count > shown.Count())
        {
            text.Append(CultureInfo.InvariantCulture, $"... and {Violations.Count - shown.Count()} more violating keys\n");
        }

        text.Append("schedule (run clock):\n").Append(Schedule);
        return text.ToString();
    }

    private string ByKind() => Violations.Count == 0
        ? ""
        : " (" + string.Join(", ", Violations.GroupBy(v => v.Kind).Select(g => $"{g.Key} {g.Count()}")) + ")";
}
