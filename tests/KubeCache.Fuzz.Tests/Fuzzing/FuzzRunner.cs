using System.Diagnostics;

namespace KubeCache.Fuzz.Tests.Fuzzing;

/// <summary>
/// Runs campaigns: case i of seed s is generated from <see cref="FuzzRandom.CaseSeed"/>, so it is
/// the same input on every run and machine. The first failure stops the campaign and is
/// minimised. Synchronous targets run on a worker thread that a watchdog checks; a case that
/// overruns <see cref="FuzzOptions.CaseTimeout"/> is reported as a hang and the thread (a
/// background thread) is abandoned, since .NET cannot abort it.
/// </summary>
public static partial class FuzzRunner
{
    public static FuzzReport Run(IFuzzTarget target, FuzzOptions options)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        var report = new FuzzReport(target.Name, options.Seed);
        var watch = new CaseWatch();
        Exception? harnessFault = null;
        var worker = new Thread(() =>
        {
            try
            {
                RunCases(target, options, report, watch);
            }
            catch (Exception e)
            {
                harnessFault = e;
            }
        })
        { IsBackground = true, Name = "fuzz " + target.Name };
        var clock = Stopwatch.StartNew();
        worker.Start();
        while (!worker.Join(TimeSpan.FromMilliseconds(50)))
        {
            if (watch.Overran(options.CaseTimeout, out long caseIndex, out byte[] input))
            {
                report.Failure = new FuzzFailure(
                    target.Name, options.Seed, caseIndex, FuzzFailureKind.Hang, "hang",
                    $"case {caseIndex} ran longer than {options.CaseTimeout.TotalSeconds} s", input, input);
                report.Cases = caseIndex + 1;
                break;
            }
        }

        report.Elapsed = clock.Elapsed;
        return harnessFault is null ? report : throw new InvalidOperationException("The fuzz harness itself failed.", harnessFault);
    }

    /// <summary>Reruns one case from a reproducer's seed, case index and (minimised) base64 input.</summary>
    /// <returns>The outcome label; a failure throws as it did in the campaign.</returns>
    public static string Replay(IFuzzTarget target, ulong seed, long caseIndex, string base64Input)
    {
        ArgumentNullException.ThrowIfNull(target);
        return target.Run(new FuzzCase(Convert.FromBase64String(base64Input), FuzzRandom.CaseSeed(seed, target.Name, caseIndex)));
    }

    /// <summary>The input case <paramref name="caseIndex"/> of a campaign feeds a target.</summary>
    public static FuzzCase CaseOf(IFuzzSource source, ulong seed, long caseIndex)
    {
        ArgumentNullException.ThrowIfNull(source);
        ulong caseSeed = FuzzRandom.CaseSeed(seed, source.Name, caseIndex);
        return new FuzzCase(Mutator.Generate(new FuzzRandom(caseSeed), source), caseSeed);
    }

    private static void RunCases(IFuzzTarget target, FuzzOptions options, FuzzReport report, CaseWatch watch)
    {
        for (long i = 0; i < options.Cases; i++)
        {
            FuzzCase fuzzCase = CaseOf(target, options.Seed, i);
            watch.Begin(i, fuzzCase.Input);
            string? outcome = TryRun(target, fuzzCase, out Exception? failure);
            if (failure is not null)
            {
                string signature = Signature(failure);
                byte[] minimized = Minimizer.Minimize(
                    fuzzCase.Input,
                    candidate =>
                    {
                        watch.Begin(i, candidate);
                        TryRun(target, fuzzCase with { Input = candidate }, out Exception? again);
                        return again is not null && Signature(again) == signature;
                    },
                    options.MinimizeAttempts);
                report.Failure = new FuzzFailure(target.Name, options.Seed, i, KindOf(failure), signature, failure.ToString(), fuzzCase.Input, minimized);
                report.Cases = i + 1;
                watch.End();
                return;
            }

            report.Add(outcome!);
            watch.End();
            report.Cases = i + 1;
        }
    }

    private static string? TryRun(IFuzzTarget target, FuzzCase fuzzCase, out Exception? failure)
    {
        failure = null;
        try
        {
            return target.Run(fuzzCase);
        }
        catch (Exception e)
        {
            failure = e;
            return null;
        }
    }

    private static FuzzFailureKind KindOf(Exception e) => e is FuzzOracleException ? FuzzFailureKind.Oracle : FuzzFailureKind.Crash;

    // Minimising keeps a candidate only if it fails the same way: the same oracle rule, or the
    // same exception type thrown from the same method.
    private static string Signature(Exception e) => e is FuzzOracleException oracle
        ? "oracle:" + oracle.Rule
        : $"{e.GetType().Name} in {e.TargetSite?.DeclaringType?.Name}.{e.TargetSite?.Name}";

    /// <summary>What the worker is running and since when, read by the watchdog thread.</summary>
    private sealed class CaseWatch
    {
        private readonly Lock _lock = new();
        private long _caseIndex = -1;
        private long _started;
        private byte[] _input = [];

        public void Begin(long caseIndex, byte[] input)
        {
            lock (_lock)
            {
                (_caseIndex, _started, _input) = (caseIndex, Stopwatch.GetTimestamp(), input);
            }
        }

        public void End()
        {
            lock (_lock)
            {
                _caseIndex = -1;
            }
        }

        public bool Overran(TimeSpan limit, out long caseIndex, out byte[] input)
        {
            lock (_lock)
            {
                (caseIndex, input) = (_caseIndex, _input);
                return _caseIndex >= 0 && Stopwatch.GetElapsedTime(_started) > limit;
            }
        }
    }
}
