namespace KubeCache.Fuzz.Tests.Fuzzing;

/// <summary>How a case failed.</summary>
public enum FuzzFailureKind
{
    /// <summary>The code under test threw something other than its documented error.</summary>
    Crash,

    /// <summary>The result broke the oracle (round trip, chunked feeding, allocation, response shape).</summary>
    Oracle,

    /// <summary>The case overran the watchdog's deadline.</summary>
    Hang,
}

/// <summary>
/// A failing case, with everything needed to rerun it: the campaign seed and case index (which
/// regenerate the input and the target's own choices) and the input itself, minimised.
/// </summary>
public sealed record FuzzFailure(
    string Target, ulong Seed, long CaseIndex, FuzzFailureKind Kind, string Signature, string Message, byte[] Input, byte[] MinimizedInput)
{
    /// <summary>
    /// One line to paste into a bug or a regression test; replay it with
    /// <see cref="FuzzRunner.Replay(IFuzzTarget, ulong, long, string)"/>.
    /// </summary>
    public string Reproducer =>
        $"target={Target} seed={Seed} case={CaseIndex} kind={Kind} signature={Signature} input={Convert.ToBase64String(MinimizedInput)} original={Convert.ToBase64String(Input)}";

    public override string ToString() => $"{Kind}: {Message}{Environment.NewLine}reproducer: {Reproducer}";
}
