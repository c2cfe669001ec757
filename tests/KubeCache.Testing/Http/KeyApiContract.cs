using System.Net;
using System.Text;
using System.Text.Json;

namespace KubeCache.Testing;

/// <summary>
/// The key API's contract, held against every front that serves it: a node's test project and a
/// router's each run these cases through a subclass that names its server.
/// </summary>
public abstract class KeyApiContract
{
    // Printable ASCII plus the whitespace the load test profile draws from (Python's string.printable).
    private static readonly string s_printable =
        string.Concat(Enumerable.Range(0x20, 0x7f - 0x20).Select(c => (char)c)) + "\t\n\r\u000b\u000c";

    private static readonly string[] s_values =
    [
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
    ];

    /// <summary>The front under test.</summary>
    protected abstract KeyApiClient Api { get; }

    /// <summary>The same front's RESP endpoint, for what only RESP writes (hashes).</summary>
    protected abstract IPEndPoint Resp { get; }

    public static TheoryData<string> Values() => [.. s_values];

    [Theory]
    [MemberData(nameof(Values), MemberType = typeof(KeyApiContract))]
    public async Task PutGet_ValueNeedingEscapes_RoundTripsExactly(string value)
    {
        string key = Guid.NewGuid().ToString();

        (await Api.PutAsync(key, value)).Is(HttpStatusCode.OK, Reply.PutOk);

        Assert.Equal(value, await Api.GetValueAsync(key));
    }

    [Fact]
    public async Task PutGet_HandWrittenEscapes_DecodeToTheCharacters()
    {
        string key = Guid.NewGuid().ToString();
        string body = $$"""{"key":"{{key}}","value":"\t\n\r\u000b\f\b\/\"\\\u00e9\ud83d\ude00"}""";

        (await Api.PostAsync("/put", body)).Is(HttpStatusCode.OK, Reply.PutOk);

        Assert.Equal("\t\n\r\u000b\f\b/\"\\é😀", await Api.GetValueAsync(key));
    }

    [Fact]
    public async Task PutGet_RawUtf8InBody_RoundTrips()
    {
        string key = "ключ-" + Guid.NewGuid();
        byte[] body = Encoding.UTF8.GetBytes($$"""{"key":"{{key}}","value":"значение 漢字 😀"}""");

        (await Api.SendAsync(HttpMethod.Post, "/put", body)).Is(HttpStatusCode.OK, Reply.PutOk);

        Assert.Equal("значение 漢字 😀", await Api.GetValueAsync(key));
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
            (await Api.PutAsync(key, value)).Is(HttpStatusCode.OK, Reply.PutOk);
        }

        foreach ((string key, string value) in values)
        {
            Assert.Equal(value, await Api.GetValueAsync(key));
        }
    }

    [Fact]
    public async Task BatchSetBatchGet_ValuesNeedingEscapes_RoundTripExactly()
    {
        string[] keys = [.. s_values.Select(_ => Guid.NewGuid().ToString())];
        string body = JsonSerializer.Serialize(keys.Select((k, i) => new { key = k, value = s_values[i] }));

        (await Api.PostAsync("/batch_set", body)).Is(HttpStatusCode.OK, $$"""{"status":"OK","message":"{{keys.Length}} keys inserted/updated successfully."}""");
        Reply reply = await Api.PostAsync("/batch_get", JsonSerializer.Serialize(keys));

        using var json = JsonDocument.Parse(reply.Body);
        Assert.Equal(s_values, keys.Select(k => json.RootElement.GetProperty("values").GetProperty(k).GetString()));
    }

    [Theory]
    [InlineData("{\"key\":\"k\",\"value\":", "Invalid request: the body is not valid JSON")]
    [InlineData("not json", "Invalid request: the body is not valid JSON")]
    [InlineData("", "Invalid request: the body is empty; send a JSON object.")]
    [InlineData("[1]", "the body must be a JSON object")]
    [InlineData("{\"value\":\"v\"}", "key is missing")]
    [InlineData("{\"key\":\"\",\"value\":\"v\"}", "key must not be empty.")]
    [InlineData("{\"key\":\"k\"}", "value is missing")]
    [InlineData("{\"key\":\"k\",\"value\":\"v\",\"ttl\":0}", "ttl must be a positive number of seconds.")]
    [InlineData("{\"key\":\"k\",\"value\":\"v\",\"ttl\":\"60\"}", "ttl must be a number of seconds")]
    [InlineData("{\"key\":\"k\",\"value\":\"v\",\"ttl\":1e300}", "ttl must be a positive number of seconds.")]
    public async Task Put_InvalidBody_400SayingWhatToFix(string body, string hint)
    {
        (await Api.PostAsync("/put", body)).IsError(HttpStatusCode.BadRequest, hint);
    }

    [Theory]
    [InlineData("/get")]
    [InlineData("/delete")]
    public async Task KeyEndpoint_NoKeyParameter_400(string path)
    {
        HttpMethod method = path == "/get" ? HttpMethod.Get : HttpMethod.Delete;

        (await Api.SendAsync(method, path)).IsError(HttpStatusCode.BadRequest, $"Query parameter key is missing; use {path}?key=K.");
        (await Api.SendAsync(method, path + "?key=")).IsError(HttpStatusCode.BadRequest, "key must not be empty.");
    }

    [Theory]
    [InlineData("PUT", "/get", "GET, HEAD")]
    [InlineData("GET", "/put", "POST, PUT")]
    [InlineData("GET", "/delete", "DELETE, POST")]
    [InlineData("DELETE", "/batch_get", "GET, POST")]
    [InlineData("GET", "/batch_set", "POST, PUT")]
    public async Task Endpoint_WrongMethod_405WithAllow(string method, string path, string allow)
    {
        Reply reply = await Api.SendAsync(new HttpMethod(method), path, method == "GET" ? null : "{}");

        reply.IsError(HttpStatusCode.MethodNotAllowed, $"{method} is not allowed on {path}; use {allow}.");
        Assert.Equal(allow.Split(", "), reply.Allow);
    }

    [Fact]
    public async Task UnknownPath_404NamingIt()
    {
        (await Api.GetAsync("/nope")).IsError(HttpStatusCode.NotFound, "No endpoint /nope; see the README for the API.");
    }

    [Fact]
    public async Task GetDelete_Missing_404KeyNotFound()
    {
        string key = Guid.NewGuid().ToString();

        (await Api.GetKeyAsync(key)).Is(HttpStatusCode.NotFound, Reply.Miss);
        (await Api.SendAsync(HttpMethod.Delete, "/delete?key=" + key)).Is(HttpStatusCode.NotFound, Reply.Miss);
    }

    [Fact]
    public async Task Delete_Present_DeletedThenMissing()
    {
        string key = Guid.NewGuid().ToString();
        (await Api.PutAsync(key, "v")).Is(HttpStatusCode.OK, Reply.PutOk);

        (await Api.SendAsync(HttpMethod.Delete, "/delete?key=" + key)).Is(HttpStatusCode.OK, """{"status":"OK","message":"Key deleted."}""");

        (await Api.GetKeyAsync(key)).Is(HttpStatusCode.NotFound, Reply.Miss);
    }

    [Fact]
    public async Task BatchGet_QueryWithMissingKeys_ValuesInOrderAndMissingListed()
    {
        string present = Guid.NewGuid().ToString();
        string missing = Guid.NewGuid().ToString();
        (await Api.PutAsync(present, "v")).Is(HttpStatusCode.OK, Reply.PutOk);

        (await Api.GetAsync($"/batch_get?keys={present},{missing}"))
            .Is(HttpStatusCode.OK, $$"""{"status":"OK","values":{"{{present}}":"v"},"missing":["{{missing}}"]}""");
        (await Api.GetAsync("/batch_get")).IsError(HttpStatusCode.BadRequest, "Query parameter keys is missing; use /batch_get?keys=a,b.");
    }

    [Fact]
    public async Task Get_KeyHoldingHash_409SayingWhatToUseAndPutReplacesIt()
    {
        string key = Guid.NewGuid().ToString();
        await using RespTestClient resp = await RespTestClient.ConnectAsync(Resp);
        Assert.Equal(1, (await resp.CallAsync("HSET", key, "field", "value")).AsInt64());

        (await Api.GetKeyAsync(key)).IsError(
            HttpStatusCode.Conflict,
            "key holds a hash, which the HTTP API does not read; read it over RESP with HGETALL or HGET, or replace it with PUT.");
        (await Api.GetAsync($"/batch_get?keys={key}")).Is(HttpStatusCode.OK, $$"""{"status":"OK","values":{},"missing":["{{key}}"]}""");

        (await Api.PutAsync(key, "now a string")).Is(HttpStatusCode.OK, Reply.PutOk);
        Assert.Equal("now a string", await Api.GetValueAsync(key));
        Assert.Equal("string", (await resp.CallAsync("TYPE", key)).AsString());
    }

    [Fact]
    public async Task BatchSet_OneBadItem_400NamingItAndNothingWritten()
    {
        string key = Guid.NewGuid().ToString();
        string body = $$"""[{"key":"{{key}}","value":"v"},{"key":"","value":"v"}]""";

        (await Api.PostAsync("/batch_set", body)).IsError(HttpStatusCode.BadRequest, "items[1]: key must not be empty.");

        (await Api.GetKeyAsync(key)).Is(HttpStatusCode.NotFound, Reply.Miss);
    }
}
