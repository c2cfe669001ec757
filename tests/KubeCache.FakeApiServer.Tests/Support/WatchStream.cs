using System.Net;
using System.Text.Json.Nodes;

namespace KubeCache.FakeApiServer.Tests.Support;

/// <summary>An open watch read line by line, as client-go and the C# client read one.</summary>
internal sealed class WatchStream : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private WatchStream(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public HttpStatusCode Status => _response.StatusCode;

    public static async Task<WatchStream> OpenAsync(HttpClient client, string pathAndQuery)
    {
        var response = await client.GetAsync(pathAndQuery, HttpCompletionOption.ResponseHeadersRead);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        return new WatchStream(response, reader);
    }

    /// <summary>The next event; fails when the stream ends or nothing comes within 10 s.</summary>
    public async Task<JsonObject> NextAsync() =>
        await ReadAsync() ?? throw new InvalidOperationException("the watch stream ended");

    /// <summary>Whether the server ends the stream before sending another event (waits up to 10 s).</summary>
    public async Task<bool> EndedAsync() => await ReadAsync() is null;

    private async Task<JsonObject?> ReadAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var line = await _reader.ReadLineAsync(cts.Token);
        return line is null ? null : JsonNode.Parse(line)!.AsObject();
    }

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        await Task.CompletedTask;
    }
}

internal static class WatchEventExtensions
{
    public static string Type(this JsonObject e) => e["type"]!.GetValue<string>();

    public static string ObjectName(this JsonObject e) => e["object"]!["metadata"]!["name"]!.GetValue<string>();
}
