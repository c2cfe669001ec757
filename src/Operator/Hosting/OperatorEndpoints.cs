using System.Text;
using KubeCache.Prometheus;

namespace KubeCache.Operator.Hosting;

/// <summary>
/// The operator's HTTP surface: <c>/metrics</c> (Prometheus text), <c>/healthz</c> (the process
/// answers), <c>/readyz</c> (informers synced; a standby is as ready as the leader, since
/// readiness gates only its metrics Service, not leadership).
/// </summary>
internal sealed class OperatorEndpoints(OperatorService service, PrometheusExporter exporter)
{
    public async Task HandleAsync(HttpContext context)
    {
        switch (context.Request.Path.Value)
        {
            case "/metrics":
                context.Response.ContentType = PrometheusExporter.ContentType;
                await exporter.WriteAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
                break;
            case "/healthz":
                await WriteAsync(context, 200, """{"status":"OK"}""").ConfigureAwait(false);
                break;
            case "/readyz":
                string role = service.IsLeader ? "leader" : "standby";
                await (service.IsReady
                    ? WriteAsync(context, 200, $$"""{"status":"OK","role":"{{role}}"}""")
                    : WriteAsync(context, 503, """{"status":"ERROR","message":"Informers have not synced yet."}""")).ConfigureAwait(false);
                break;
            default:
                await WriteAsync(context, 404, """{"status":"ERROR","message":"Not found; the operator serves /metrics, /healthz and /readyz."}""").ConfigureAwait(false);
                break;
        }
    }

    private static Task WriteAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(json)).AsTask();
    }
}
