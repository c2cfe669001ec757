using System.Text;

namespace KubeCache.Topology.Tests;

/// <summary>Pins ring.json, the contract between operator, routers and nodes, to a golden file.</summary>
public sealed class RingDocumentSerializationTests
{
    private static readonly RingMember Demo0 = new("demo-0", "10.1.2.3:7171", "10.1.2.3:6379");
    private static readonly RingMember Demo1 = new("demo-1", "10.1.2.4:7171", "10.1.2.4:6379");
    private static readonly RingMember Demo2 = new("demo-2", "10.1.2.5:7171", "10.1.2.5:6379");

    private static RingDocument GoldenDocument() => new()
    {
        Cluster = "demo",
        Epoch = 7,
        Members = [Demo0, Demo1, Demo2],
        Previous = new RingGeneration(6, [Demo0, Demo1], 1767225600000),
    };

    private static string GoldenText() =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "ring.json")).TrimEnd('\n');

    [Fact]
    public void ToUtf8Json_GoldenDocument_MatchesGoldenFileByteForByte()
    {
        Assert.Equal(GoldenText(), Encoding.UTF8.GetString(GoldenDocument().ToUtf8Json()));
    }

    [Fact]
    public void Parse_GoldenFile_ReadsEveryField()
    {
        RingDocument document = RingDocument.Parse(GoldenText());

        Assert.Equal("demo", document.Cluster);
        Assert.Equal(7, document.Epoch);
        Assert.Equal(RingDocument.Xxh64, document.Hash);
        Assert.Equal(RingDocument.Rendezvous, document.Scheme);
        Assert.Equal([Demo0, Demo1, Demo2], document.Members);
        Assert.NotNull(document.Previous);
        Assert.Equal(6, document.Previous.Epoch);
        Assert.Equal([Demo0, Demo1], document.Previous.Members);
        Assert.Equal(1767225600000, document.Previous.StartedAtUnixMs);
    }

    [Fact]
    public void ToUtf8Json_ParsedGoldenFile_RoundTripsUnchanged()
    {
        byte[] golden = Encoding.UTF8.GetBytes(GoldenText());

        Assert.Equal(golden, RingDocument.Parse(golden).ToUtf8Json());
    }

    [Fact]
    public void ToUtf8Json_NoRebalance_OmitsPrevious()
    {
        var document = new RingDocument { Cluster = "demo", Epoch = 1, Members = [Demo0] };

        string json = Encoding.UTF8.GetString(document.ToUtf8Json());

        Assert.DoesNotContain("previous", json, StringComparison.Ordinal);
        Assert.Null(RingDocument.Parse(json).Previous);
    }

    [Fact]
    public void ToUtf8Json_InvalidDocument_ThrowsInsteadOfPublishing()
    {
        var document = new RingDocument { Cluster = "demo", Epoch = 0, Members = [Demo0] };

        Assert.Throws<RingFormatException>(document.ToUtf8Json);
    }

    [Fact]
    public void CurrentRing_CalledTwice_ReturnsSameRingOfMembers()
    {
        RingDocument document = GoldenDocument();

        Ring ring = document.CurrentRing();

        Assert.Same(ring, document.CurrentRing());
        Assert.Equal(document.Members, ring.Members);
    }

    [Fact]
    public void PreviousRing_DuringAndAfterRebalance_ReturnsPreviousMembersOrNull()
    {
        RingDocument rebalancing = GoldenDocument();
        var stable = new RingDocument { Cluster = "demo", Epoch = 7, Members = [Demo0] };

        Assert.Equal([Demo0, Demo1], rebalancing.PreviousRing()!.Members);
        Assert.Same(rebalancing.PreviousRing(), rebalancing.PreviousRing());
        Assert.Null(stable.PreviousRing());
    }
}
