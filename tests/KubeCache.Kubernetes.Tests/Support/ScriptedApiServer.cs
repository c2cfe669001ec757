using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KubeCache.Kubernetes.Tests.Support;

/// <summary>One request as the scripted server saw it.</summary>
public sealed record RecordedRequest(string Method, string Path, IQueryCollection Query, string? Authorization, string? ContentType, string Body)
{
    public string? QueryValue(string name) => Query.TryGetValue(name, out var value) ? value.ToString() : null;
}

/// <summary>
/// Kestrel on a loopback ephemeral port, answering every request with the test's script. It keeps
/// no state of its own (tests that need state keep it in the script), and records each request.
/// </summary>
public sealed class ScriptedApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ScriptedApiServer(WebApplication app, Uri uri)
    {
        _app = app;
        Uri = uri;
    }

    public Uri Uri { get; }

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public static async Task<ScriptedApiServer> StartAsync(Func<HttpContext, RecordedRequest, Task> script)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        WebApplication app = builder.Build();
        ScriptedApiServer? self = null;
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            string body = await reader.ReadToEndAsync(context.RequestAborted);
            var request = new RecordedRequest(context.Request.Method, context.Request.Path.Value ?? "", context.Request.Query,
                context.Request.Headers.Authorization.ToString() is { Length: > 0 } auth ? auth : null, context.Request.ContentType, body);
            self!.Requests.Enqueue(request);
            await script(context, request);
        });
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new ScriptedApiServer(app, new Uri(address));
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}

/// <summary>Answers in the API server's formats.</summary>
public static class Reply
{
    public static Task Json(HttpContext context, string json, int status = 200)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json);
    }

    public static Task Status(HttpContext context, int code, string reason, string message, string details = "") =>
        Json(context, StatusJson(code, reason, message, details), code);

    public static string StatusJson(int code, string reason, string message, string details = "") =>
        $$$"""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"{{{message}}}","reason":"{{{reason}}}","code":{{{code}}}{{{details}}}}""";

    public static string ConfigMap(string name, string rv, string ns = "default") =>
        $$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}","resourceVersion":"{{{rv}}}"},"data":{"k":"{{{name}}}-{{{rv}}}"}}""";

    public static string List(string rv, string continueToken, params string[] items) =>
        $$$"""{"apiVersion":"v1","kind":"ConfigMapList","metadata":{"resourceVersion":"{{{rv}}}","continue":"{{{continueToken}}}"},"items":[{{{string.Join(",", items)}}}]}""";

    public static string Event(string type, string obj) => $$$"""{"type":"{{{type}}}","object":{{{obj}}}}""";

    /// <summary>Starts a chunked watch stream and writes events as lines, flushing each.</summary>
    public static async Task WatchLines(HttpContext context, params string[] lines)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        foreach (string line in lines)
        {
            await WatchLine(context, line);
        }
    }

    /// <summary>One more line of a watch stream already started.</summary>
    public static async Task WatchLine(HttpContext context, string line)
    {
        await context.Response.WriteAsync(line + "\n");
        await context.Response.Body.FlushAsync();
    }
}
