using KubeCache.Fuzz.Tests.Fuzzing;
using KubeCache.Fuzz.Tests.Targets;

namespace KubeCache.Fuzz.Tests;

/// <summary>Short fixed-seed campaigns against each parser; scripts/fuzz.sh runs the long ones.</summary>
public sealed class ParserFuzzTests
{
    private const ulong Seed = 7171;
    private const int Cases = 3000;

    [Fact]
    public void RespCommandReader_FuzzedInputs_HoldOracle() =>
        FuzzAssert.Holds(Run(new RespCommandTarget()), Cases, "frames", "incomplete", "error:InvalidBulkLength", "error:InvalidMultibulkLength", "error:UnbalancedQuotes");

    [Fact]
    public void RespReplyReader_FuzzedInputs_HoldOracle() =>
        FuzzAssert.Holds(Run(new RespReplyTarget()), Cases, "frames", "incomplete", "error:UnexpectedReplyType", "error:InvalidBulkLength");

    [Fact]
    public void JsonRequest_FuzzedBodies_HoldOracle() =>
        FuzzAssert.Holds(Run(new JsonRequestTarget()), Cases, "item=ok", "item=error", "item=error items=ok", "item=error items=error keys=ok");

    [Fact]
    public void QueryParameters_FuzzedQueries_HoldOracle() =>
        FuzzAssert.Holds(Run(new QueryParametersTarget()), Cases, "0 of", "1 of", "2 of");

    [Fact]
    public void RingDocument_FuzzedDocuments_HoldOracle() =>
        FuzzAssert.Holds(Run(new RingDocumentTarget()), Cases, "rejected", "accepted", "accepted with previous");

    private static FuzzReport Run(IFuzzTarget target) => FuzzRunner.Run(target, new FuzzOptions(Seed, Cases));
}
