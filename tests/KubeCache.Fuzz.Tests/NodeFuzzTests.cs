using KubeCache.Fuzz.Tests.Fuzzing;
using KubeCache.Fuzz.Tests.Targets;
using KubeCache.Protocol;
using KubeCache.Testing;

namespace KubeCache.Fuzz.Tests;

/// <summary>The fuzz campaigns' node (<see cref="NodeFixture"/>), one campaign at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FuzzNodeCollection : ICollectionFixture<NodeFixture>
{
    public const string Name = "Fuzz node";
}

/// <summary>Short fixed-seed campaigns through a real node's HTTP API and RESP listener.</summary>
[Collection(FuzzNodeCollection.Name)]
public sealed class NodeFuzzTests(NodeFixture fixture)
{
    private const ulong Seed = 6379;
    private const int Cases = 1500;

    [Fact]
    public async Task NodeHttpApi_FuzzedRequests_AnswerDocumentedJsonAndStayUp()
    {
        await using var target = new NodeHttpTarget(fixture.Node.HttpEndPoint);

        FuzzReport report = await FuzzRunner.RunAsync(target, new FuzzOptions(Seed, Cases));

        FuzzAssert.Holds(report, Cases, "POST /put 200", "POST /put 400", "POST /batch_set 200", "POST /batch_get 200", "GET /get? 404", "GET /get? 200", "GET /batch_get? 200");
    }

    [Fact]
    public async Task NodeResp_FuzzedCommandStreams_ReplyPerCommandAndStayUp()
    {
        var limits = new RespLimits { MaxBulkBytes = fixture.Node.Options.RespMaxBulkBytes, MaxArrayLength = fixture.Node.Options.RespMaxArrayLength };
        var target = new NodeRespTarget(fixture.Node.RespEndPoint!, limits);

        FuzzReport report = await FuzzRunner.RunAsync(target, new FuzzOptions(Seed, Cases));

        FuzzAssert.Holds(report, Cases, "commands", "protocol error");
    }
}
