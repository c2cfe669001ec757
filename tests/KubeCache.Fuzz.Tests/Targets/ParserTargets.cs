using KubeCache.Fuzz.Tests.Fuzzing;

namespace KubeCache.Fuzz.Tests.Targets;

/// <summary>The targets that run in-process without a server: the long run's set.</summary>
public static class ParserTargets
{
    public static IReadOnlyList<IFuzzTarget> All() =>
        [new RespCommandTarget(), new RespReplyTarget(), new JsonRequestTarget(), new QueryParametersTarget(), new RingDocumentTarget()];
}
