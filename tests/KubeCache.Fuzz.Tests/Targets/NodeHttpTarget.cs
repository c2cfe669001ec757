using System.Net;
using System.Text;
using System.Text.Json;
using KubeCache.Fuzz.Tests.Fuzzing;

namespace KubeCache.Fuzz.Tests.Targets;

/// <summary>
/// A real node's HTTP API, over a raw socket. The input's first byte picks the request (its
/// value mod 8): POST /put, /set, /batch_set, /batch_get with the rest as the body; GET /get,
/// GET /batch_get, DELETE /delete with the rest as the query, bytes HTTP forbids percent-encoded;
/// or GET /get with the rest as a raw, unescaped query. Oracle: never a 5xx; every answer of the
/// API is JSON of the documented shape (<c>status</c> OK with the endpoint's fields, or ERROR
/// with exactly a <c>message</c>); a non-JSON answer only as Kestrel's own 400 for a request line
/// it cannot parse; and the node answers GET /health with 200 afterwards.
/// </summary>
public sealed class NodeHttpTarget(IPEndPoint endPoint) : IAsyncFuzzTarget, IAsyncDisposable
{
    private static readonly string[] s_routes =
        ["POST /put", "POST /set", "POST /batch_set", "POST /batch_get", "GET /get?", "GET /batch_get?", "DELETE /delete?", "GET /get?"];

    private readonly RawHttpClient _client = new(endPoint);

    public string Name => "node-http";

    public IReadOnlyList<byte[]> Corpus { get; } = [.. new (int Route, string Payload)[]
    {
        (0, """{"key":"k1","value":"v1"}"""),
        (1, """{"Key":"k2","Value":"caf\u00e9","ttl":30}"""),
        (2, """{"items":[{"key":"a","value":"1"},{"key":"b","value":"2","ttl":0.5}]}"""),
        (2, """[{"key":"c","value":"3"}]"""),
        (3, """{"keys":["a","b","zz"]}"""),
        (4, "key=a"),
        (4, "key=caf%C3%A9+x&other=1"),
        (5, "keys=a,b,c"),
        (6, "key=b"),
        (7, "key=k1"),
    }.Select(c => (byte[])[(byte)c.Route, .. Encoding.UTF8.GetBytes(c.Payload)])];

    public IReadOnlyList<byte[]> Tokens { get; } = [.. new JsonRequestTarget().Tokens, .. new QueryParametersTarget().Tokens];

    public IReadOnlyList<byte> Alphabet { get; } = "{}[]\":,\\%+&=?key01234567abcdef"u8.ToArray();

    public async Task<string> RunAsync(FuzzCase fuzzCase, CancellationToken cancel)
    {
        byte[] input = fuzzCase.Input.Length > 0 ? fuzzCase.Input : [0];
        int route = input[0] % s_routes.Length;
        byte[] payload = input[1..];
        RawHttpResponse response = route == s_routes.Length - 1
            ? await _client.SendAloneAsync(Request(route, payload), cancel).ConfigureAwait(false)
            : await _client.SendAsync(Request(route, payload), cancel).ConfigureAwait(false);
        string outcome = Check(route, response);
        RawHttpResponse health = await _client.SendAsync(Request("GET /health", []), cancel).ConfigureAwait(false);
        Oracle.That(health.Status == 200, "alive", $"GET /health answered {health.Status} after the case");
        return $"{s_routes[route]} {outcome}";
    }

    public ValueTask DisposeAsync() => _client.DisposeAsync();

    private static byte[] Request(int route, byte[] payload)
    {
        string line = s_routes[route];
        if (line.StartsWith("POST", StringComparison.Ordinal))
        {
            return Request(line, payload);
        }

        byte[] query = route == s_routes.Length - 1 ? payload : Escape(payload);
        return [.. Encoding.ASCII.GetBytes(line), .. query, .. Request(string.Empty, [])];
    }

    private static byte[] Request(string line, byte[] body) =>
        [.. Encoding.ASCII.GetBytes($"{line} HTTP/1.1\r\nHost: fuzz\r\nContent-Length: {body.Length}\r\n\r\n"), .. body];

    // Kestrel refuses control bytes, spaces, '#' and non-ASCII in a request target; escaped, they reach the decoder.
    private static byte[] Escape(byte[] query) =>
        [.. query.SelectMany(b => b is <= 0x20 or >= 0x7F or (byte)'#' ? Encoding.ASCII.GetBytes($"%{b:X2}") : [b])];

    private static string Check(int route, RawHttpResponse response)
    {
        Oracle.That(response.Status < 500, "no-5xx", $"the node answered {response.Status}: {Encoding.UTF8.GetString(response.Body)}");
        if (response.ContentType is null || !response.ContentType.StartsWith("application/json", StringComparison.Ordinal))
        {
            Oracle.That(response.Status == 400 && route == s_routes.Length - 1, "json",
                $"only Kestrel's 400 for an unparsable request line may come without JSON; got {response.Status} ({response.ContentType})");
            return "400 from Kestrel";
        }

        using JsonDocument json = JsonDocument.Parse(response.Body);
        JsonElement root = json.RootElement;
        string[] names = [.. root.EnumerateObject().Select(p => p.Name)];
        string status = root.GetProperty("status").GetString()!;
        if (response.Status >= 300)
        {
            Oracle.That(status == "ERROR" && names.SequenceEqual(["status", "message"]) && root.GetProperty("message").GetString()!.Length > 0,
                "error-shape", $"an error must be {{\"status\":\"ERROR\",\"message\":…}}; got {Encoding.UTF8.GetString(response.Body)}");
            return $"{response.Status}";
        }

        string[] expected = route switch
        {
            3 or 5 => ["status", "values", "missing"],
            4 or 7 => ["status", "key", "value"],
            _ => ["status", "message"],
        };
        Oracle.That(status == "OK" && names.SequenceEqual(expected), "ok-shape",
            $"a success must have {string.Join(", ", expected)}; got {Encoding.UTF8.GetString(response.Body)}");
        return $"{response.Status}";
    }
}
