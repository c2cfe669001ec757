using System.Collections.Frozen;
using System.Diagnostics;
using KubeCache.HttpContract;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace KubeCache.ClientContract.Http;

/// <summary>Counts one request that started at a <see cref="Stopwatch.GetTimestamp"/> timestamp.</summary>
public delegate void RequestRecorder(bool ok, long startTimestamp);

/// <summary>What a process tells its dispatch table: how it counts requests and words its own failures.</summary>
public sealed class HttpTableSettings
{
    /// <summary>"node" or "router": the process named in a 500 reply.</summary>
    public required string Process { get; init; }

    /// <summary>The status a miss answers with (--miss-status); a miss counts as a successful request.</summary>
    public required int MissStatus { get; init; }

    /// <summary>--max-body-bytes, named in the 413 reply.</summary>
    public required long MaxBodyBytes { get; init; }

    /// <summary>The recorder of an endpoint's requests, resolved once per endpoint ("unknown" for paths without one).</summary>
    public required Func<string, RequestRecorder> Recorder { get; init; }

    /// <summary>The reply to an exception the process's backend throws on purpose (a node that is down, no ring yet); null for any other.</summary>
    public Func<Exception, HttpFailure?> Translate { get; init; } = _ => null;

    /// <summary>Where an unexpected exception is logged, with the endpoint's name, before the 500 reply.</summary>
    public required ILogger Logger { get; init; }
}

/// <summary>
/// A process's one HTTP dispatch table: exact paths in a frozen dictionary (the key API is the
/// hot path), then the few prefix entries, then 404. Checks the method, runs the handler, turns
/// every client mistake into a JSON error and counts the request.
/// </summary>
public sealed class HttpEndpointTable
{
    private readonly FrozenDictionary<string, Entry> _exact;
    private readonly Entry[] _prefixes;
    private readonly RequestRecorder _notFound;
    private readonly HttpTableSettings _settings;

    public HttpEndpointTable(IEnumerable<HttpEndpoint> endpoints, HttpTableSettings settings)
    {
        _settings = settings;
        Entry[] entries = [.. endpoints.Select(e => new Entry(e, settings.Recorder(e.Name)))];
        _exact = entries.Where(e => !e.Endpoint.IsPrefix).ToFrozenDictionary(e => e.Endpoint.Path, StringComparer.Ordinal);
        _prefixes = [.. entries.Where(e => e.Endpoint.IsPrefix)];
        _notFound = settings.Recorder("unknown");
    }

    private sealed record Entry(HttpEndpoint Endpoint, RequestRecorder Record);

    /// <summary>The paths served exactly, for tests and docs.</summary>
    public IEnumerable<string> Paths => _exact.Keys;

    public async Task HandleAsync(HttpContext context)
    {
        long started = Stopwatch.GetTimestamp();
        string path = context.Request.Path.Value ?? "/";
        if (Find(path) is not { } entry)
        {
            HttpReplies.WriteError(context, StatusCodes.Status404NotFound, $"No endpoint {path}; see the README for the API.");
            _notFound(ok: false, started);
            return;
        }

        HttpEndpoint endpoint = entry.Endpoint;
        int status;
        if (endpoint.Methods is { } methods && Array.IndexOf(methods, context.Request.Method) < 0)
        {
            context.Response.Headers.Allow = endpoint.Allow;
            status = HttpReplies.WriteError(
                context, StatusCodes.Status405MethodNotAllowed, $"{context.Request.Method} is not allowed on {path}; use {endpoint.Allow}.");
        }
        else
        {
            status = await RunAsync(endpoint, context).ConfigureAwait(false);
        }

        entry.Record(Succeeded(status), started);
    }

    private Entry? Find(string path)
    {
        if (_exact.TryGetValue(path, out Entry? entry))
        {
            return entry;
        }

        foreach (Entry prefix in _prefixes)
        {
            if (path.StartsWith(prefix.Endpoint.Path, StringComparison.Ordinal))
            {
                return prefix;
            }
        }

        return null;
    }

    /// <summary>Runs the handler and turns every failure into a JSON error that says what went wrong and where.</summary>
    private async ValueTask<int> RunAsync(HttpEndpoint endpoint, HttpContext context)
    {
        try
        {
            return await endpoint.Handler(context).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            string message = e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? $"The request body is larger than {_settings.MaxBodyBytes} bytes (--max-body-bytes)."
                : "Bad request: " + e.Message;
            return HttpReplies.WriteError(context, e.StatusCode, message);
        }
        catch (Exception e) when (!context.Response.HasStarted && (e is not OperationCanceledException || _settings.Translate(e) is not null))
        {
            return HttpReplies.Write(context, Failure(e, endpoint.Name));
        }
    }

    /// <summary>
    /// The reply to an exception a handler of <paramref name="endpoint"/> threw before replying: a
    /// malformed body is the client's 400, a failure the process translates is its reply, anything
    /// else is logged and answered 500.
    /// </summary>
    public HttpReply Failure(Exception e, string endpoint)
    {
        if (e is JsonRequestException)
        {
            return HttpReplies.Error(StatusCodes.Status400BadRequest, "Invalid request: " + e.Message + ".");
        }

        if (_settings.Translate(e) is { } failure)
        {
            return HttpReplies.Error(failure.Status, failure.Message);
        }

        ContractLog.UnexpectedError(_settings.Logger, e, "http", endpoint);
        return HttpReplies.Error(StatusCodes.Status500InternalServerError, $"The {_settings.Process} failed while serving {endpoint}; see its log.");
    }

    /// <summary>Counts a request to the exact path <paramref name="path"/> that answered <paramref name="status"/>.</summary>
    public void Record(string path, int status, long startTimestamp) => _exact[path].Record(Succeeded(status), startTimestamp);

    /// <summary>A miss answers with an error status but counts as served.</summary>
    private bool Succeeded(int status) => status < 400 || status == _settings.MissStatus;
}
