using KubeCache.FakeApiServer.Errors;
using KubeCache.FakeApiServer.Selectors;

namespace KubeCache.FakeApiServer.Tests;

public sealed class SelectorParsingTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["app"] = "kv", ["tier"] = "cache" };

    [Theory]
    [InlineData("", true)]
    [InlineData("app=kv", true)]
    [InlineData("app = kv", true)]
    [InlineData("app=kv,tier!=cache", false)]
    [InlineData("app in (kv, other),tier", true)]
    [InlineData("zone", false)]
    [InlineData("!zone", true)]
    [InlineData("app notin (kv)", false)]
    public void Parse_Expression_MatchesLikeApiserver(string selector, bool expected)
    {
        Assert.Equal(expected, LabelSelector.Parse(selector).Matches(Labels));
    }

    [Fact]
    public void Parse_Malformed_ThrowsBadRequest()
    {
        var e = Assert.Throws<ApiException>(() => LabelSelector.Parse("app in kv"));

        Assert.Equal(400, e.Code);
    }

    [Fact]
    public void Serialize_MatchLabelsAndExpressions_SortsAndJoins()
    {
        var selector = System.Text.Json.Nodes.JsonNode.Parse("""{"matchLabels":{"b":"2","a":"1"},"matchExpressions":[{"key":"c","operator":"In","values":["y","x"]}]}""")!.AsObject();

        Assert.Equal("a=1,b=2,c in (x,y)", LabelSelector.Serialize(selector));
    }
}
