using System.Net;

namespace KubeCache.Router.Tests.Http;

/// <summary>Values come back through the router exactly as they were PUT, whatever JSON escaping they need.</summary>
[Collection(SharedClusterCollection.Name)]
public sealed class RoundTripTests(ClusterFixture fixture)
{
    // Printable ASCII plus the whitespace the load test profile draws from (Python's string.printable).
    private static readonly string s_printable =
        string.Concat(Enumerable.Range(0x20, 0x7f - 0x20).Select(c => (char)c)) + "\t\n\r\u000b\u000c";

    private readonly RouterCluster _cluster = fixture.Cluster;

    private static readonly string[] s_values =
    [
        "tab\there",
        "new\nline",
        "carriage\rreturn\r\n",
        "vertical\u000btab",
        "form\u000cfeed",
        "\"quoted\"",
        "back\\slash\\",
        "café é 漢字 😀",
        " \t\n\r\u000b\u000c ",
    ];

    public static TheoryData<string> Values() => [.. s_values];

    [Theory]
    [MemberData(nameof(Values))]
    public async Task PutGet_ValueNeedingEscapes_RoundTripsExactly(string value)
    {
        string key = Guid.NewGuid().ToString();

        (await _cluster.PutAsync(key, value)).Is(HttpStatusCode.OK, Reply.PutOk);

        Assert.Equal(value, await _cluster.GetValueAsync(key));
        Assert.Equal(value, _cluster.Stored(_cluster.OwnerOf(key), key));
    }

    [Fact]
    public async Task PutGet_256PrintableCharacters_RoundTripExactly()
    {
        var random = new Random(7171);
        for (int i = 0; i < 20; i++)
        {
            string key = Guid.NewGuid().ToString();
            string value = string.Concat(Enumerable.Range(0, 256).Select(_ => s_printable[random.Next(s_printable.Length)]));

            (await _cluster.PutAsync(key, value)).Is(HttpStatusCode.OK, Reply.PutOk);

            Assert.Equal(value, await _cluster.GetValueAsync(key));
        }
    }

    [Fact]
    public async Task BatchSetBatchGet_ValuesNeedingEscapes_RoundTripExactly()
    {
        string[] values = s_values;
        string[] keys = [.. values.Select(_ => Guid.NewGuid().ToString())];
        string body = System.Text.Json.JsonSerializer.Serialize(keys.Select((k, i) => new { key = k, value = values[i] }));

        (await _cluster.PostAsync("/batch_set", body)).Is(HttpStatusCode.OK, $$"""{"status":"OK","message":"{{keys.Length}} keys inserted/updated successfully."}""");
        Reply reply = await _cluster.PostAsync("/batch_get", System.Text.Json.JsonSerializer.Serialize(keys));

        using var json = System.Text.Json.JsonDocument.Parse(reply.Body);
        Assert.Equal(values, keys.Select(k => json.RootElement.GetProperty("values").GetProperty(k).GetString()));
    }
}
