using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace KubeCache.FakeApiServer.Tests.Support;

/// <summary>Small HttpClient helpers: send JSON with a content type, read JSON back.</summary>
internal static class ApiClient
{
    public const string Apply = "application/apply-patch+yaml";
    public const string Merge = "application/merge-patch+json";
    public const string JsonPatch = "application/json-patch+json";
    public const string Strategic = "application/strategic-merge-patch+json";

    public static Task<Reply> PostAsync(this HttpClient client, string path, string json) =>
        client.SendAsync(HttpMethod.Post, path, json, "application/json");

    public static Task<Reply> PutAsync(this HttpClient client, string path, string json) =>
        client.SendAsync(HttpMethod.Put, path, json, "application/json");

    public static Task<Reply> PatchAsync(this HttpClient client, string path, string body, string contentType) =>
        client.SendAsync(HttpMethod.Patch, path, body, contentType);

    public static Task<Reply> GetJsonAsync(this HttpClient client, string path) =>
        client.SendAsync(HttpMethod.Get, path, null, null);

    public static Task<Reply> DeleteAsync(this HttpClient client, string path, string? body) =>
        client.SendAsync(HttpMethod.Delete, path, body, "application/json");

    public static async Task<Reply> SendAsync(this HttpClient client, HttpMethod method, string path, string? body, string? contentType, string? accept = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType!);
        }
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new Reply(response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response.Content.Headers.ContentType?.ToString());
    }

    /// <summary>Creates the KvCluster CRD through the API and returns nothing; fails the test on error.</summary>
    public static async Task CreateCrdAsync(this HttpClient client)
    {
        var reply = await client.PatchAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/kvclusters.kubecache.io?fieldManager=test", TestCrd.Yaml, Apply);
        Assert.True(reply.Status == HttpStatusCode.Created, reply.ToString());
    }
}

/// <summary>A response: status code, parsed JSON body, content type.</summary>
internal sealed record Reply(HttpStatusCode Status, JsonNode? Body, string? ContentType)
{
    public JsonObject Object => Body as JsonObject ?? throw new InvalidOperationException($"not an object: {this}");

    public string? Str(params string[] path)
    {
        JsonNode? node = Body;
        foreach (var p in path)
        {
            node = node?[p];
        }
        return node?.GetValue<string>();
    }

    public long? Long(params string[] path)
    {
        JsonNode? node = Body;
        foreach (var p in path)
        {
            node = node?[p];
        }
        return node is null ? null : long.Parse(node.ToJsonString().Trim('"'), System.Globalization.CultureInfo.InvariantCulture);
    }

    public override string ToString() => $"{(int)Status} {Body?.ToJsonString()}";
}
