using System.Globalization;
using KubeCache.Fuzz.Tests.Fuzzing;
using KubeCache.Fuzz.Tests.Targets;

namespace KubeCache.Fuzz.Tests;

/// <summary>
/// The long run (scripts/fuzz.sh): every parser target for many cases, printing cases/s and the
/// outcome counts per target. Usage: <c>KubeCache.Fuzz.Tests [cases] [seed] [target]</c>; cases
/// default to <c>KVCACHE_FUZZ_CASES</c> or 1,000,000, the seed to <c>KVCACHE_FUZZ_SEED</c> or 1.
/// Exits 1 when a target fails, after printing its reproducer.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        long cases = long.Parse(Argument(args, 0, "KVCACHE_FUZZ_CASES") ?? "1000000", CultureInfo.InvariantCulture);
        ulong seed = ulong.Parse(Argument(args, 1, "KVCACHE_FUZZ_SEED") ?? "1", CultureInfo.InvariantCulture);
        string? only = args.Length > 2 ? args[2] : null;
        int failed = 0;
        foreach (IFuzzTarget target in ParserTargets.All().Where(t => only is null || t.Name == only))
        {
            FuzzReport report = FuzzRunner.Run(target, new FuzzOptions(seed, cases));
            Console.WriteLine(report);
            failed += report.Failure is null ? 0 : 1;
        }

        return failed == 0 ? 0 : 1;
    }

    private static string? Argument(string[] args, int index, string variable) =>
        args.Length > index && args[index].Length > 0 ? args[index] : Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? value : null;
}
