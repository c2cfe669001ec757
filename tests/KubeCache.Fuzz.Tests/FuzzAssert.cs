using KubeCache.Fuzz.Tests.Fuzzing;

namespace KubeCache.Fuzz.Tests;

/// <summary>Assertions on campaign reports.</summary>
public static class FuzzAssert
{
    /// <summary>
    /// Every case held the oracle, all cases ran, and each outcome in <paramref name="reached"/>
    /// (a label prefix) occurred: a fuzzer that only ever hits one path tests little.
    /// </summary>
    public static void Holds(FuzzReport report, long cases, params string[] reached)
    {
        ArgumentNullException.ThrowIfNull(report);
        Assert.True(report.Failure is null, report.ToString());
        Assert.Equal(cases, report.Cases);
        foreach (string outcome in reached)
        {
            Assert.True(report.Count(outcome) > 0, $"no case reached \"{outcome}\":{Environment.NewLine}{report}");
        }
    }
}
