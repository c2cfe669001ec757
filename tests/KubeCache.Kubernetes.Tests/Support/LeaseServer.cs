using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace KubeCache.Kubernetes.Tests.Support;

/// <summary>
/// One Lease kept the way the API server keeps it: GET, POST (409 AlreadyExists when present) and
/// PUT (409 Conflict on a stale resourceVersion), each write bumping the resourceVersion.
/// <see cref="Intercept"/> lets a test answer a request itself (a failure, a rival's write).
/// </summary>
public sealed class LeaseServer
{
    private readonly Lock _gate = new();
    private JsonObject? _lease;
    private int _version;

    public Func<RecordedRequest, LeaseServer, (int Code, string Body)?>? Intercept { get; set; }

    public ConcurrentQueue<string> Writes { get; } = new();

    public V1Lease? Current
    {
        get
        {
            lock (_gate)
            {
                return _lease is null ? null : KubernetesJson.Deserialize<V1Lease>(_lease.ToJsonString());
            }
        }
    }

    /// <summary>Stores <paramref name="spec"/> as if another client wrote it.</summary>
    public void Put(V1LeaseSpec spec)
    {
        lock (_gate)
        {
            var lease = new V1Lease { ApiVersion = "coordination.k8s.io/v1", Kind = "Lease", Metadata = new V1ObjectMeta { Name = "leader", NamespaceProperty = "ns1" }, Spec = spec };
            _lease = JsonNode.Parse(KubernetesJson.Serialize(lease))!.AsObject();
            Stamp(_lease);
        }
    }

    public Task Handle(HttpContext ctx, RecordedRequest req)
    {
        if (Intercept?.Invoke(req, this) is { } answer)
        {
            return Reply.Json(ctx, answer.Body, answer.Code);
        }
        lock (_gate)
        {
            switch (req.Method)
            {
                case "GET":
                    return _lease is null ? Reply.Status(ctx, 404, "NotFound", "leases not found") : Reply.Json(ctx, _lease.ToJsonString());
                case "POST" when _lease is not null:
                    return Reply.Status(ctx, 409, "AlreadyExists", "leases already exists");
                case "POST":
                    Writes.Enqueue(req.Body);
                    _lease = JsonNode.Parse(req.Body)!.AsObject();
                    Stamp(_lease);
                    return Reply.Json(ctx, _lease.ToJsonString(), 201);
                case "PUT":
                    JsonObject body = JsonNode.Parse(req.Body)!.AsObject();
                    if (_lease is null)
                    {
                        return Reply.Status(ctx, 404, "NotFound", "leases not found");
                    }
                    if ((string?)body["metadata"]?["resourceVersion"] != (string?)_lease["metadata"]!["resourceVersion"])
                    {
                        return Reply.Status(ctx, 409, "Conflict", "the object has been modified");
                    }
                    Writes.Enqueue(req.Body);
                    _lease = body;
                    Stamp(_lease);
                    return Reply.Json(ctx, _lease.ToJsonString());
                default:
                    return Reply.Status(ctx, 405, "MethodNotAllowed", req.Method);
            }
        }
    }

    private void Stamp(JsonObject lease) =>
        lease["metadata"]!["resourceVersion"] = (++_version).ToString(CultureInfo.InvariantCulture);
}
