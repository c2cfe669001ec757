using System.Collections.Frozen;
using KubeCache.HttpContract;
using KubeCache.Router.Metrics;
using KubeCache.Router.Options;
using KubeCache.Router.Routing;
using KubeCache.Router.Upstream;

namespace KubeCache.Router.Http;

/// <summary>
/// The node's key API served by the router (DESIGN §6): the same paths, methods, JSON bodies and
/// client errors as a node, each request turned into RESP commands to the owner nodes of its keys.
/// </summary>
/// <remarks>
/// Beyond a node's answers: a node that cannot answer gives 503 naming it, as does a router that
/// has no ring yet. Key and value limits are the nodes' own: a node's <c>-ERR</c> for one comes
/// back as a 400 with the node's message. A key over the node's limit reads as a miss (a node
/// answers GET of one with nil over RESP), where the node's own HTTP API answers 400.
/// </remarks>
public sealed partial class KeyEndpoints : IRouterEndpoints
{
    private readonly KeyRouter _router;
    private readonly RouterOptions _options;
    private readonly RouterMetrics _metrics;
    private readonly ILogger<KeyEndpoints> _logger;
    private readonly FrozenDictionary<string, Endpoint> _endpoints;

    public KeyEndpoints(KeyRouter router, RouterOptions options, RouterMetrics metrics, ILogger<KeyEndpoints> logger)
    {
        _router = router;
        _options = options;
        _metrics = metrics;
        _logger = logger;
        _endpoints = new Dictionary<string, Endpoint>(StringComparer.Ordinal)
        {
            ["/put"] = new("put", ["POST", "PUT"], PutAsync),
            ["/set"] = new("set", ["POST", "PUT"], PutAsync),
            ["/get"] = new("get", ["GET", "HEAD"], GetAsync),
            ["/delete"] = new("delete", ["DELETE", "POST"], DeleteAsync),
            ["/batch_set"] = new("batch_set", ["POST", "PUT"], BatchSetAsync),
            ["/batch_get"] = new("batch_get", ["GET", "POST"], BatchGetAsync),
            ["/stats"] = new("stats", ["GET"], StatsAsync),
        }.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private sealed record Endpoint(string Name, string[] Methods, Func<HttpContext, ValueTask<int>> Handler)
    {
        public string Allow { get; } = string.Join(", ", Methods);
    }

    public bool TryHandle(HttpContext context, out Task handled)
    {
        if (!_endpoints.TryGetValue(context.Request.Path.Value ?? "/", out Endpoint? endpoint))
        {
            handled = Task.CompletedTask;
            return false;
        }

        handled = HandleAsync(endpoint, context);
        return true;
    }

    private async Task HandleAsync(Endpoint endpoint, HttpContext context)
    {
        int status;
        if (Array.IndexOf(endpoint.Methods, context.Request.Method) < 0)
        {
            context.Response.Headers.Allow = endpoint.Allow;
            status = HttpReplies.WriteError(
                context, StatusCodes.Status405MethodNotAllowed, $"{context.Request.Method} is not allowed on {context.Request.Path.Value}; use {endpoint.Allow}.");
        }
        else
        {
            status = await RunAsync(endpoint, context).ConfigureAwait(false);
        }

        _metrics.Request("http", endpoint.Name, status < 400 || status == _options.MissStatus);
    }

    /// <summary>Runs the handler and turns every failure into a JSON error that says what went wrong and where.</summary>
    private async ValueTask<int> RunAsync(Endpoint endpoint, HttpContext context)
    {
        try
        {
            return await endpoint.Handler(context).ConfigureAwait(false);
        }
        catch (JsonRequestException e)
        {
            return HttpReplies.WriteError(context, StatusCodes.Status400BadRequest, "Invalid request: " + e.Message + ".");
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            string message = e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? $"The request body is larger than {_options.MaxBodyBytes} bytes (--max-body-bytes)."
                : "Bad request: " + e.Message;
            return HttpReplies.WriteError(context, e.StatusCode, message);
        }
        catch (UpstreamException e) when (!context.Response.HasStarted)
        {
            return HttpReplies.WriteError(context, StatusCodes.Status503ServiceUnavailable, $"node {e.NodeName} ({e.Address}) is down: {e.Cause}");
        }
        catch (NoRingException e) when (!context.Response.HasStarted)
        {
            return HttpReplies.WriteError(context, StatusCodes.Status503ServiceUnavailable, e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException && !context.Response.HasStarted)
        {
            Log.UnexpectedError(_logger, e, "http", endpoint.Name);
            return HttpReplies.WriteError(context, StatusCodes.Status500InternalServerError, $"The router failed while serving {endpoint.Name}; see its log.");
        }
    }
}
