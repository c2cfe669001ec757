using System.Buffers;
using KubeCache.Fuzz.Tests.Fuzzing;
using KubeCache.Fuzz.Tests.Targets;
using KubeCache.Protocol;

namespace KubeCache.Fuzz.Tests;

/// <summary>The fuzzing library itself: determinism, and that each oracle rule can fail and is minimised.</summary>
public sealed class FuzzerSelfTests
{
    [Fact]
    public void FuzzRandom_Seed42_GivesPinnedSequence()
    {
        // Values computed independently (SplitMix64 then xorshift64*); a change here breaks every reproducer.
        var random = new FuzzRandom(42);

        Assert.Equal([0x31b0ece7c4f697a2UL, 0x9008a3b1cb686f03UL, 0x7c7173abd97be16fUL], [random.NextUInt64(), random.NextUInt64(), random.NextUInt64()]);
    }

    [Fact]
    public void CaseOf_SameSeedAndIndex_GivesSameInput()
    {
        var target = new RespCommandTarget();

        Assert.Equal(FuzzRunner.CaseOf(target, 5, 123).Input, FuzzRunner.CaseOf(target, 5, 123).Input);
        Assert.Equal(FuzzRunner.CaseOf(target, 5, 123).Seed, FuzzRunner.CaseOf(target, 5, 123).Seed);
        Assert.NotEqual(FuzzRunner.CaseOf(target, 5, 123).Seed, FuzzRunner.CaseOf(target, 5, 124).Seed);
    }

    [Fact]
    public void Run_ReaderThatIgnoresLaterSegments_ReportsChunkedFailureWithMinimisedReproducer()
    {
        var broken = new RespCommandTarget(FirstSegmentOnly);

        FuzzReport report = FuzzRunner.Run(broken, new FuzzOptions(1, 3000));

        FuzzFailure failure = Assert.IsType<FuzzFailure>(report.Failure);
        Assert.Equal(FuzzFailureKind.Oracle, failure.Kind);
        Assert.Equal("oracle:chunked", failure.Signature);
        Assert.True(failure.MinimizedInput.Length <= Math.Min(failure.Input.Length, 16), failure.ToString());
        string input = Convert.ToBase64String(failure.MinimizedInput);
        Assert.Throws<FuzzOracleException>(() => FuzzRunner.Replay(broken, failure.Seed, failure.CaseIndex, input));
        Assert.NotEmpty(FuzzRunner.Replay(new RespCommandTarget(), failure.Seed, failure.CaseIndex, input));
        Assert.Contains($"seed=1 case={failure.CaseIndex} ", failure.Reproducer, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ParserThatThrows_ReportsCrashMinimisedToTheTrigger()
    {
        var target = new DelegateTarget(input => input.AsSpan().IndexOf("$\0"u8) >= 0 ? throw new IndexOutOfRangeException() : "ok");

        FuzzReport report = FuzzRunner.Run(target, new FuzzOptions(3, 100_000));

        FuzzFailure failure = Assert.IsType<FuzzFailure>(report.Failure);
        Assert.Equal(FuzzFailureKind.Crash, failure.Kind);
        Assert.StartsWith("IndexOutOfRangeException", failure.Signature, StringComparison.Ordinal);
        Assert.Equal("$\0"u8.ToArray(), failure.MinimizedInput);
    }

    [Fact]
    public void Run_ParserThatNeverReturns_ReportsHang()
    {
        var target = new DelegateTarget(input =>
        {
            if (input.AsSpan().IndexOf((byte)'\n') >= 0)
            {
                Thread.Sleep(Timeout.Infinite);
            }

            return "ok";
        });

        FuzzReport report = FuzzRunner.Run(target, new FuzzOptions(4, 100_000) { CaseTimeout = TimeSpan.FromMilliseconds(300) });

        FuzzFailure failure = Assert.IsType<FuzzFailure>(report.Failure);
        Assert.Equal(FuzzFailureKind.Hang, failure.Kind);
        Assert.Contains((byte)'\n', failure.Input);
    }

    [Fact]
    public void WithinAllocation_ParserAllocatingPerCase_FailsAllocationRule()
    {
        var target = new DelegateTarget(input => Oracle.WithinAllocation(input.Length, 32, 64 * 1024, () => new byte[1 << 20].Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        FuzzReport report = FuzzRunner.Run(target, new FuzzOptions(5, 10) { MinimizeAttempts = 10 });

        Assert.Equal("oracle:allocation", Assert.IsType<FuzzFailure>(report.Failure).Signature);
    }

    [Fact]
    public void Minimize_FailureNeedsTwoBytes_KeepsOnlyThem()
    {
        byte[] input = "the quick x brown fox jumps y over"u8.ToArray();

        byte[] minimized = Minimizer.Minimize(input, c => c.AsSpan().IndexOf((byte)'x') is int x and >= 0 && c.AsSpan(x).IndexOf((byte)'y') > 0, 1000);

        Assert.Equal("xy"u8.ToArray(), minimized);
    }

    // A reader that looks only at the first segment: right for whole input, wrong once frames span chunks.
    private static (RespReadStatus, ReadOnlySequence<byte>, RespReadError) FirstSegmentOnly(ReadOnlySequence<byte> buffer, RespLimits limits, RespCommand command)
    {
        var first = new ReadOnlySequence<byte>(buffer.First);
        ReadOnlySequence<byte> rest = first;
        RespReadStatus status = RespCommandReader.TryRead(ref rest, limits, command, out RespReadError error);
        return (status, buffer.Slice(first.Length - rest.Length), error);
    }

    private sealed class DelegateTarget(Func<byte[], string> run) : IFuzzTarget
    {
        public string Name => "delegate";

        public IReadOnlyList<byte[]> Corpus { get; } = FuzzTokens.Ascii("*1\r\n$4\r\nPING\r\n", "GET key\r\n");

        public IReadOnlyList<byte[]> Tokens { get; } = FuzzTokens.Ascii("$", "*");

        public IReadOnlyList<byte> Alphabet { get; } = "$*\r\n"u8.ToArray();

        public string Run(FuzzCase fuzzCase) => run(fuzzCase.Input);
    }
}
