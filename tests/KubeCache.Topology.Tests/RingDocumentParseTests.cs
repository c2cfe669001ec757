namespace KubeCache.Topology.Tests;

public sealed class RingDocumentParseTests
{
    private const string Member0 = """{"name": "demo-0", "http": "10.0.0.1:7171", "resp": "10.0.0.1:6379"}""";
    private const string Member1 = """{"name": "demo-1", "http": "10.0.0.2:7171", "resp": "10.0.0.2:6379"}""";

    private static string Message(string json) => Assert.Throws<RingFormatException>(() => RingDocument.Parse(json)).Message;

    [Fact]
    public void Parse_UnknownFields_Ignored()
    {
        string json = $$"""
            {"cluster": "demo", "epoch": 3, "vnodes": 1024, "future": {"nested": [1, 2]},
             "members": [{"name": "demo-0", "http": "a:1", "resp": "a:2", "zone": "eu-1"}]}
            """;

        RingDocument document = RingDocument.Parse(json);

        Assert.Equal(3, document.Epoch);
        Assert.Equal(new RingMember("demo-0", "a:1", "a:2"), Assert.Single(document.Members));
    }

    [Fact]
    public void Parse_HashAndSchemeAbsent_DefaultToXxh64Rendezvous()
    {
        RingDocument document = RingDocument.Parse($$"""{"cluster": "demo", "epoch": 1, "members": [{{Member0}}]}""");

        Assert.Equal("xxh64", document.Hash);
        Assert.Equal("rendezvous", document.Scheme);
    }

    [Fact]
    public void Parse_EmptyMemberList_Accepted()
    {
        RingDocument document = RingDocument.Parse("""{"cluster": "demo", "epoch": 1, "members": []}""");

        Assert.Empty(document.Members);
    }

    [Theory]
    [InlineData("""{"epoch": 1, "members": []}""", "\"cluster\" is missing")]
    [InlineData("""{"cluster": "demo", "members": []}""", "\"epoch\" is missing")]
    [InlineData("""{"cluster": "demo", "epoch": 1}""", "\"members\" is missing")]
    [InlineData("""{"cluster": "", "epoch": 1, "members": []}""", "\"cluster\" is empty")]
    [InlineData("""{"cluster": "demo", "epoch": 0, "members": []}""", "\"epoch\" is 0")]
    [InlineData("""{"cluster": "demo", "epoch": -4, "members": []}""", "\"epoch\" is -4")]
    [InlineData("""{"cluster": "demo", "epoch": 1, "hash": "md5", "members": []}""", "\"hash\" is \"md5\"")]
    [InlineData("""{"cluster": "demo", "epoch": 1, "scheme": "ketama", "members": []}""", "\"scheme\" is \"ketama\"")]
    [InlineData("""{"cluster": "demo", "epoch": 1, "members": [null]}""", "\"members[0]\" is missing")]
    [InlineData("""{"cluster": "demo", "epoch": 1, "members": [{"http": "a:1", "resp": "a:2"}]}""", "\"members[0].name\" is missing")]
    [InlineData("""{"cluster": "demo", "epoch": 1, "members": [{"name": "n", "resp": "a:2"}]}""", "\"members[0].http\" is missing")]
    [InlineData("""{"cluster": "demo", "epoch": 1, "members": [{"name": "n", "http": "a:1"}]}""", "\"members[0].resp\" is missing")]
    [InlineData("""{"cluster": "demo", "epoch": 1, "members": [{"name": "", "http": "a:1", "resp": "a:2"}]}""", "member 0 has an empty name")]
    [InlineData("""{"cluster": "demo", "epoch": 1, "members": [{"name": "n", "http": "", "resp": "a:2"}]}""", "needs both \"http\" and \"resp\"")]
    public void Parse_InvalidField_MessageNamesIt(string json, string expected)
    {
        Assert.Contains(expected, Message(json), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DuplicateMemberName_MessageNamesIt()
    {
        string message = Message($$"""{"cluster": "demo", "epoch": 1, "members": [{{Member0}}, {{Member1}}, {{Member0}}]}""");

        Assert.Contains("\"demo-0\" is used by more than one member", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(5, "\"previous.epoch\" is 5")]
    [InlineData(6, "\"previous.epoch\" is 6")]
    [InlineData(0, "\"previous.epoch\" is 0")]
    public void Parse_PreviousEpochNotBelowEpoch_Rejected(long previousEpoch, string expected)
    {
        string json = $$"""
            {"cluster": "demo", "epoch": 5, "members": [{{Member0}}],
             "previous": {"epoch": {{previousEpoch}}, "members": [{{Member0}}], "startedAtUnixMs": 1} }
            """;

        Assert.Contains(expected, Message(json), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"members": [], "startedAtUnixMs": 1}""", "\"previous.epoch\" is missing")]
    [InlineData("""{"epoch": 1, "startedAtUnixMs": 1}""", "\"previous.members\" is missing")]
    [InlineData("""{"epoch": 1, "members": []}""", "\"previous.startedAtUnixMs\" is missing")]
    [InlineData("""{"epoch": 1, "members": [], "startedAtUnixMs": -1}""", "\"previous.startedAtUnixMs\" is -1")]
    public void Parse_InvalidPrevious_MessageNamesField(string previous, string expected)
    {
        string json = $$"""{"cluster": "demo", "epoch": 2, "members": [{{Member0}}], "previous": {{previous}} }""";

        Assert.Contains(expected, Message(json), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"cluster": "demo", "epoch": "seven", "members": []}""")]
    [InlineData("""{"cluster": "demo", "epoch": 1, "members": []""")]
    public void Parse_NotARingDocument_ThrowsRingFormatException(string json)
    {
        Assert.StartsWith("ring.json is not a valid ring document", Message(json), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_JsonNull_SaysWhatIsExpected()
    {
        Assert.Contains("must be an object", Message("null"), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Utf8Bytes_SameAsString()
    {
        string json = $$"""{"cluster": "demo", "epoch": 9, "members": [{{Member0}}, {{Member1}}]}""";

        RingDocument fromBytes = RingDocument.Parse(System.Text.Encoding.UTF8.GetBytes(json));

        Assert.Equal(RingDocument.Parse(json).Members, fromBytes.Members);
        Assert.Equal(9, fromBytes.Epoch);
    }
}
