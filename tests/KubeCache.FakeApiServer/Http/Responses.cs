using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace KubeCache.FakeApiServer.Http;

/// <summary>Writes JSON bodies with the apiserver's content type.</summary>
internal static class Responses
{
    public static async Task WriteAsync(HttpContext context, int status, JsonNode body, string contentType = "application/json")
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString(JsonOptions.Compact));
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
    }

    public static async Task<byte[]> ReadBodyAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        return buffer.ToArray();
    }
}

/// <summary>Serializer options shared by every response.</summary>
internal static class JsonOptions
{
    public static JsonSerializerOptions Compact { get; } = new() { WriteIndented = false };
}
