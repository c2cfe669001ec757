using System.Net;
using System.Text.Json;

namespace KubeCache.Testing;

/// <summary>What a node or router answered over HTTP: status, body text and the <c>Allow</c> header.</summary>
public sealed record Reply(HttpStatusCode Status, string Body, string[] Allow)
{
    public const string PutOk = """{"status":"OK","message":"Key inserted/updated successfully."}""";
    public const string Miss = """{"status":"ERROR","message":"Key not found."}""";

    /// <summary>Checks status and exact body together, so a failure shows both.</summary>
    public void Is(HttpStatusCode status, string body) => Assert.Equal(((int)status, body), ((int)Status, Body));

    /// <summary>An error reply: the status, and a JSON body of exactly status ERROR and a message containing each hint.</summary>
    public string IsError(HttpStatusCode status, params string[] hints)
    {
        Assert.True(Status == status, $"expected {(int)status}, got {(int)Status}: {Body}");
        using JsonDocument json = JsonDocument.Parse(Body);
        Assert.Equal(["status", "message"], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("ERROR", json.RootElement.GetProperty("status").GetString());
        string message = json.RootElement.GetProperty("message").GetString()!;
        foreach (string hint in hints)
        {
            Assert.Contains(hint, message, StringComparison.Ordinal);
        }

        return message;
    }
}
