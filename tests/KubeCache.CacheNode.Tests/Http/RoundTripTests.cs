using System.Net;
using System.Text;

namespace KubeCache.CacheNode.Tests.Http;

/// <summary>Values come back from GET exactly as they were PUT, whatever JSON escaping they need.</summary>
[Collection(HttpNodeCollection.Name)]
public sealed class RoundTripTests(NodeFixture fixture)
{
    // Printable ASCII plus the whitespace the load test profile draws from (Python's string.printable).
    private static readonly string s_printable =
        string.Concat(Enumerable.Range(0x20, 0x7f - 0x20).Select(c => (char)c)) + "\t\n\r\u000b\u000c";

    private readonly TestNode _node = fixture.Node;

    public static TheoryData<string> Values() => new()
    {
        "tab\there",
        "new\nline",
        "carriage\rreturn\r\n",
        "vertical\u000btab",
        "form\u000cfeed",
        "\"quoted\"",
        "back\\slash\\",
        "\\n is not a newline",
        "</script><!-- & ' -->",
        "\u0000\u0001\u001f\u007f",
        "café é",
        "漢字かな",
        "emoji 😀👍🏽",
        " \t\n\r\u000b\u000c ",
        "\u2028\u2029",
    };

    [Theory]
    [MemberData(nameof(Values))]
    public async Task PutGet_ValueNeedingEscapes_RoundTripsExactly(string value)
    {
        string key = Guid.NewGuid().ToString();

        (await _node.PutAsync(key, value)).Is(HttpStatusCode.OK, Reply.PutOk);

        Assert.Equal(value, await _node.GetValueAsync(key));
    }

    [Fact]
    public async Task PutGet_HandWrittenEscapes_DecodeToTheCharacters()
    {
        string key = Guid.NewGuid().ToString();
        string body = $$"""{"key":"{{key}}","value":"\t\n\r\u000b\f\b\/\"\\\u00e9\ud83d\ude00"}""";

        (await _node.PostAsync("/put", body)).Is(HttpStatusCode.OK, Reply.PutOk);

        Assert.Equal("\t\n\r\u000b\f\b/\"\\é😀", await _node.GetValueAsync(key));
    }

    [Fact]
    public async Task PutGet_RawUtf8InBody_RoundTrips()
    {
        string key = "ключ-" + Guid.NewGuid();
        byte[] body = Encoding.UTF8.GetBytes($$"""{"key":"{{key}}","value":"значение 漢字 😀"}""");

        (await _node.SendAsync(HttpMethod.Post, "/put", body)).Is(HttpStatusCode.OK, Reply.PutOk);

        Assert.Equal("значение 漢字 😀", await _node.GetValueAsync(key));
    }

    [Fact]
    public async Task PutGet_LocustProfileRandomValues_RoundTripExactly()
    {
        var random = new Random(20240601);
        var values = new Dictionary<string, string>();
        for (int i = 0; i < 200; i++)
        {
            byte[] uuid = new byte[16];
            random.NextBytes(uuid);
            string key = new Guid(uuid).ToString();
            values[key] = new string(random.GetItems(s_printable.AsSpan(), 256));
        }

        foreach ((string key, string value) in values)
        {
            (await _node.PutAsync(key, value)).Is(HttpStatusCode.OK, Reply.PutOk);
        }

        foreach ((string key, string value) in values)
        {
            Assert.Equal(value, await _node.GetValueAsync(key));
        }
    }

    [Fact]
    public async Task PutGet_ValueOfExactlyMaxValueBytes_RoundTrips()
    {
        string key = Guid.NewGuid().ToString();
        string value = new('x', _node.Server.Options.MaxValueBytes);

        (await _node.PutAsync(key, value)).Is(HttpStatusCode.OK, Reply.PutOk);

        Assert.Equal(value, await _node.GetValueAsync(key));
    }
}
