using System.Diagnostics;

namespace KubeCache.Fuzz.Tests.Fuzzing;

// Campaigns against targets that talk to a server: each case gets a deadline, and a case that
// misses it (or is cancelled by it) is a hang.
public static partial class FuzzRunner
{
    public static async Task<FuzzReport> RunAsync(IAsyncFuzzTarget target, FuzzOptions options)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        var report = new FuzzReport(target.Name, options.Seed);
        var clock = Stopwatch.StartNew();
        for (long i = 0; i < options.Cases; i++)
        {
            FuzzCase fuzzCase = CaseOf(target, options.Seed, i);
            (string? outcome, Exception? failure) = await TryRunAsync(target, fuzzCase, options.CaseTimeout).ConfigureAwait(false);
            report.Cases = i + 1;
            if (failure is not null)
            {
                string signature = Signature(failure);
                byte[] minimized = failure is TimeoutException ? fuzzCase.Input : await Minimizer.MinimizeAsync(
                    fuzzCase.Input,
                    async candidate =>
                    {
                        (_, Exception? again) = await TryRunAsync(target, fuzzCase with { Input = candidate }, options.CaseTimeout).ConfigureAwait(false);
                        return again is not null && Signature(again) == signature;
                    },
                    options.MinimizeAttempts).ConfigureAwait(false);
                FuzzFailureKind kind = failure is TimeoutException ? FuzzFailureKind.Hang : KindOf(failure);
                report.Failure = new FuzzFailure(target.Name, options.Seed, i, kind, signature, failure.ToString(), fuzzCase.Input, minimized);
                break;
            }

            report.Add(outcome!);
        }

        report.Elapsed = clock.Elapsed;
        return report;
    }

    private static async Task<(string? Outcome, Exception? Failure)> TryRunAsync(IAsyncFuzzTarget target, FuzzCase fuzzCase, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            return (await target.RunAsync(fuzzCase, deadline.Token).WaitAsync(timeout).ConfigureAwait(false), null);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return (null, new TimeoutException($"the case ran longer than {timeout.TotalSeconds} s"));
        }
        catch (Exception e)
        {
            return (null, e);
        }
    }
}
