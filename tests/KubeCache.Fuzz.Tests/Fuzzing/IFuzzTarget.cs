namespace KubeCache.Fuzz.Tests.Fuzzing;

/// <summary>What a fuzzer mutates: valid inputs, syntax tokens, and the bytes noise is drawn from.</summary>
public interface IFuzzSource
{
    /// <summary>Stable name, part of every case seed and reproducer (e.g. <c>resp-command</c>).</summary>
    string Name { get; }

    /// <summary>Valid inputs; mutations start from these and splice them together.</summary>
    IReadOnlyList<byte[]> Corpus { get; }

    /// <summary>Syntax pieces worth inserting or repeating (<c>*1\r\n</c>, <c>[</c>, <c>"key":</c>).</summary>
    IReadOnlyList<byte[]> Tokens { get; }

    /// <summary>Bytes random noise favours, half of the time.</summary>
    IReadOnlyList<byte> Alphabet { get; }
}

/// <summary>
/// A target whose oracle runs synchronously. <see cref="Run"/> returns the outcome's label
/// (counted in the report) when the oracle holds, throws <see cref="FuzzOracleException"/> when
/// it does not; any other exception is a crash of the code under test.
/// </summary>
public interface IFuzzTarget : IFuzzSource
{
    string Run(FuzzCase fuzzCase);
}

/// <summary>A target that talks to a server; the runner cancels <c>cancel</c> when the case overruns.</summary>
public interface IAsyncFuzzTarget : IFuzzSource
{
    Task<string> RunAsync(FuzzCase fuzzCase, CancellationToken cancel);
}

/// <summary>One input, and the seed a target uses for its own choices (chunk sizes) on that input.</summary>
public readonly record struct FuzzCase(byte[] Input, ulong Seed)
{
    public FuzzRandom NewRandom() => new(Seed ^ 0x5DEECE66D);
}

/// <summary>The oracle does not hold for an input; <see cref="Rule"/> names which check failed.</summary>
public sealed class FuzzOracleException(string rule, string message) : Exception($"[{rule}] {message}")
{
    public string Rule { get; } = rule;
}

/// <summary>Checks of the oracle every target shares.</summary>
public static class Oracle
{
    public static void That(bool condition, string rule, string message)
    {
        if (!condition)
        {
            throw new FuzzOracleException(rule, message);
        }
    }

    /// <summary>
    /// Runs <paramref name="parse"/> and fails the "allocation" rule when it allocated more than
    /// <paramref name="perInputByte"/> × the input's length + <paramref name="constant"/> bytes on this thread.
    /// </summary>
    public static T WithinAllocation<T>(int inputLength, int perInputByte, int constant, Func<T> parse)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        T result = parse();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        long budget = ((long)perInputByte * inputLength) + constant;
        That(allocated <= budget, "allocation", $"parsing {inputLength} bytes allocated {allocated} bytes; the bound is {perInputByte} × {inputLength} + {constant} = {budget}");
        return result;
    }
}
