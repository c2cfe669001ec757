using System.Globalization;
using KubeCache.Consistency.Tests.History;

// bench/history.sh [schedules] [seed] [flushall] [cuts[=share]]: runs schedules seed, seed+1, …
// (ring changes drawn from each seed) on one cluster of node and router processes and prints each
// schedule's figures, the totals, and the full report of the first failing schedules. "flushall"
// runs a FLUSHALL during the changes of every schedule instead of a quarter of them; "cuts" links
// the nodes to each other through proxies that cut that share of their connections part-way
// (default 0.3; CuttingProxy).
int schedules = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
int firstSeed = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1;
string[] options = args.Length > 2 ? args[2..] : [];
bool flushAlways = options.Contains("flushall");
double cuts = options.FirstOrDefault(o => o.StartsWith("cuts", StringComparison.Ordinal)) is { } cut
    ? cut == "cuts" ? 0.3 : double.Parse(cut["cuts=".Length..], CultureInfo.InvariantCulture)
    : 0;
const int ShownReports = 3;
const int ShownErrors = 10;

var settings = new HistorySettings { FlushAll = flushAlways ? true : null, NodeLinkCuts = cuts };
await using ProcessCluster cluster = await ProcessCluster.StartAsync(settings.Nodes, settings.Routers,
    nodes => ProcessCluster.Document(1, nodes.Take(settings.FirstRingMembers)), settings.NodeLinkCuts, firstSeed);
Console.WriteLine($"{settings.Nodes} nodes, {settings.Routers} routers, {settings.Clients} clients"
    + $"{(cuts > 0 ? $", node-to-node links cutting {cuts:P0} of their connections" : "")}; logs in {cluster.Directory}");

var totals = new HistoryStats();
var failures = new List<HistoryResult>();
int changes = 0, missing = 0;
var kinds = new Dictionary<ViolationKind, int>();
var started = System.Diagnostics.Stopwatch.StartNew();
for (int seed = firstSeed; seed < firstSeed + schedules; seed++)
{
    HistoryResult result = await HistoryRun.RunAsync(cluster, settings, seed, changes: null, reproduce: string.Join(' ', ["bench/history.sh", "1", seed.ToString(CultureInfo.InvariantCulture), .. options]));
    Console.WriteLine(result.Summary);
    totals.Add(result.Stats);
    changes += result.Changes.Count;
    missing += result.MissingAfterDeadline;
    foreach (Violation violation in result.Violations)
    {
        kinds[violation.Kind] = kinds.GetValueOrDefault(violation.Kind) + 1;
    }

    if (result.Failed)
    {
        failures.Add(result);
    }
}

foreach (HistoryResult failure in failures.Take(ShownReports))
{
    Console.WriteLine();
    Console.WriteLine(failure.Report());
}

Console.WriteLine();
Console.WriteLine($"schedules: {schedules} (seeds {firstSeed}-{firstSeed + schedules - 1}), ring changes: {changes}, in {started.Elapsed.TotalMinutes:F1} min");
Console.WriteLine($"operations: {totals.Operations} ({totals.Unknown} with unknown outcome)");
Console.WriteLine($"violating keys: {kinds.Values.Sum()} ({(kinds.Count == 0 ? "none" : string.Join(", ", kinds.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}")))}) "
    + $"in {failures.Count} schedules{(failures.Count == 0 ? "" : ": seeds " + string.Join(' ', failures.Select(f => f.Seed)))}");
Console.WriteLine($"missing after a deadline finish (reported, not violations): {missing} keys");
if (cuts > 0)
{
    Console.WriteLine($"node-to-node connections cut: {cluster.LinkCuts}");
}

Console.WriteLine($"lagging-router requests answered correctly: {totals.LaggingCorrect}/{totals.Lagging} = {(totals.Lagging == 0 ? 100 : 100.0 * totals.LaggingCorrect / totals.Lagging):F2}% (goal >= 99.9%)");
Console.WriteLine("error replies (outcome unknown), most frequent first:");
foreach ((string error, long count) in totals.Errors.OrderByDescending(e => e.Value).Take(ShownErrors))
{
    Console.WriteLine($"  {count,6} x {error}");
}

return failures.Count == 0 ? 0 : 1;
