using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace KubeCache.Operator.Tests.Support;

/// <summary>
/// Plays the StatefulSet controller and kubelet for KvCluster demo in ns: keeps Pods demo-0 …
/// demo-(replicas−1) in step with the StatefulSet, each Ready with podIP 127.77.&lt;subnet&gt;.&lt;i+1&gt;,
/// where a tiny HTTP listener on port 7171 answers GET /cluster/handoff for the ring epoch
/// published now, in the state the test chooses; with <see cref="TlsCertificate"/> set, an HTTPS
/// listener on 7443 answers the same. A test may add a router pod, whose listener answers GET
/// /ring/epoch with the epoch the test sets.
/// </summary>
internal sealed class SimulatedKubelet : IAsyncDisposable
{
    private readonly FakeApiServer.FakeApiServer _server;
    private readonly int _subnet;
    private readonly Dictionary<int, WebApplication> _nodes = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public SimulatedKubelet(FakeApiServer.FakeApiServer server, int subnet)
    {
        _server = server;
        _subnet = subnet;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>The state every node reports; "done" unless the test holds handoffs back.</summary>
    public volatile string HandoffState = "done";

    /// <summary>The epoch the router pod (see <see cref="StartRouterAsync"/>) reports as applied.</summary>
    public long RouterEpoch
    {
        get => Interlocked.Read(ref _routerEpoch);
        set => Interlocked.Exchange(ref _routerEpoch, value);
    }

    private long _routerEpoch;

    /// <summary>Authorization headers the nodes received.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Authorizations { get; } = new();

    /// <summary>The certificate of the nodes' HTTPS listener (port 7443); null for plain HTTP only. Set before the nodes start.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? TlsCertificate { get; set; }

    /// <summary>Paths the nodes were asked over plain HTTP.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> PlainRequests { get; } = new();

    public string PodIp(int ordinal) => $"127.77.{_subnet}.{ordinal + 1}";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        foreach (WebApplication node in _nodes.Values)
        {
            await node.DisposeAsync();
        }

        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            await SyncAsync();
            await Task.Delay(50, _stop.Token);
        }
    }

    private async Task SyncAsync()
    {
        JsonObject? sts = _server.Get("apps", "statefulsets", "ns", "demo");
        int replicas = (int)(sts?["spec"]?["replicas"].AsNumber() ?? 0);
        JsonObject? labels = sts?["spec"]?["template"]?["metadata"]?["labels"]?.AsObject();
        for (int i = 0; i < replicas; i++)
        {
            if (_server.Get("", "pods", "ns", $"demo-{i}") is null && labels is not null)
            {
                await StartNodeAsync(i);
                var pod = new JsonObject
                {
                    ["apiVersion"] = "v1",
                    ["kind"] = "Pod",
                    ["metadata"] = new JsonObject { ["name"] = $"demo-{i}", ["namespace"] = "ns", ["labels"] = labels.DeepClone() },
                    ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "node", ["image"] = "kvcache-node" }) },
                };
                JsonObject created = _server.Create(pod);
                created["status"] = new JsonObject
                {
                    ["phase"] = "Running",
                    ["podIP"] = PodIp(i),
                    ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True" }),
                };
                _server.Update(created, "status");
            }
        }

        foreach (JsonObject pod in _server.List("", "pods", "ns"))
        {
            string name = pod["metadata"]!["name"]!.GetValue<string>();
            if (int.TryParse(name.AsSpan("demo-".Length), out int ordinal) && ordinal >= replicas)
            {
                _server.Delete("", "pods", "ns", name);
                if (_nodes.Remove(ordinal, out WebApplication? node))
                {
                    await node.DisposeAsync();
                }
            }
        }
    }

    /// <summary>Adds a Ready router pod "demo-router" at 127.77.&lt;subnet&gt;.200 answering GET /ring/epoch with <see cref="RouterEpoch"/>.</summary>
    public async Task StartRouterAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        string ip = $"127.77.{_subnet}.200";
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Parse(ip), 7171));
        WebApplication app = builder.Build();
        app.Run(context => context.Response.WriteAsync($$"""{"status":"OK","epoch":{{RouterEpoch}},"rebalancing":false}"""));
        await app.StartAsync();
        _nodes[-1] = app;
        var labels = new JsonObject
        {
            ["app.kubernetes.io/name"] = "kvcache",
            ["app.kubernetes.io/instance"] = "demo",
            ["app.kubernetes.io/component"] = "router",
            ["app.kubernetes.io/managed-by"] = "kvcache-operator",
        };
        JsonObject created = _server.Create(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = "demo-router", ["namespace"] = "ns", ["labels"] = labels },
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "router", ["image"] = "kvcache-router" }) },
        });
        created["status"] = new JsonObject
        {
            ["phase"] = "Running",
            ["podIP"] = ip,
            ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True" }),
        };
        _server.Update(created, "status");
    }

    private async Task StartNodeAsync(int ordinal)
    {
        if (_nodes.ContainsKey(ordinal))
        {
            return;
        }

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Parse(PodIp(ordinal)), 7171);
            if (TlsCertificate is { } certificate)
            {
                k.Listen(IPAddress.Parse(PodIp(ordinal)), 7443, listen => listen.UseHttps(certificate));
            }
        });
        WebApplication app = builder.Build();
        app.Run(async context =>
        {
            if (!context.Request.IsHttps)
            {
                PlainRequests.Enqueue(context.Request.Path);
            }

            if (context.Request.Headers.Authorization.ToString() is { Length: > 0 } auth)
            {
                Authorizations.Enqueue(auth);
            }

            string? ring = _server.Get("", "configmaps", "ns", "demo-ring")?["data"]?["ring.json"]?.GetValue<string>();
            long epoch = ring is null ? 0 : JsonNode.Parse(ring)!["epoch"].AsNumber() ?? 0;
            string state = HandoffState;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync($$"""{"epoch":{{epoch}},"state":"{{state}}","keysSent":3,"keysLeft":{{(state == "done" ? 0 : 7)}}}""");
        });
        await app.StartAsync();
        _nodes[ordinal] = app;
    }
}
