using System.Globalization;
using System.Text;

namespace KubeCache.Fuzz.Tests.Fuzzing;

/// <summary>What one campaign against one target did: cases run, how long, outcomes, and the first failure.</summary>
public sealed class FuzzReport(string target, ulong seed)
{
    public string Target { get; } = target;

    public ulong Seed { get; } = seed;

    public long Cases { get; internal set; }

    public TimeSpan Elapsed { get; internal set; }

    /// <summary>Count of each outcome label the target returned.</summary>
    public SortedDictionary<string, long> Outcomes { get; } = new(StringComparer.Ordinal);

    /// <summary>The first failing case, minimised; null when every case held the oracle.</summary>
    public FuzzFailure? Failure { get; internal set; }

    public double CasesPerSecond => Elapsed.TotalSeconds > 0 ? Cases / Elapsed.TotalSeconds : 0;

    /// <summary>Cases whose outcome label starts with <paramref name="prefix"/>.</summary>
    public long Count(string prefix) => Outcomes.Where(o => o.Key.StartsWith(prefix, StringComparison.Ordinal)).Sum(o => o.Value);

    internal void Add(string outcome) => Outcomes[outcome] = Outcomes.GetValueOrDefault(outcome) + 1;

    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Target}: seed {Seed}, {Cases:N0} cases in {Elapsed.TotalSeconds:F1} s ({CasesPerSecond:N0} cases/s)");
        text.Append(Failure is null ? ", no failure" : ", FAILED");
        foreach ((string outcome, long count) in Outcomes)
        {
            text.Append(CultureInfo.InvariantCulture, $"{Environment.NewLine}  {outcome,-48} {count,12:N0}");
        }

        if (Failure is not null)
        {
            text.Append(Environment.NewLine).Append(Failure);
        }

        return text.ToString();
    }
}
