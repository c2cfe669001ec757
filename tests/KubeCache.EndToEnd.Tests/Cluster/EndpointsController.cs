using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using KubeCache.EndToEnd.Tests.Support;
using KubeCache.Testing.Clients;

namespace KubeCache.EndToEnd.Tests.Cluster;

/// <summary>
/// The EndpointSlice controller and kube-proxy, reduced to what clients of a Service see: for
/// each Service a test asks for (<see cref="For"/>), the addresses new connections may go to are
/// the pods its selector matches that are Ready and not terminating, on the pod port its
/// <c>targetPort</c> names. A pod that stops being one stays an endpoint for <paramref name="lag"/>
/// more, as the EndpointSlice update and kube-proxy's rules lag on a real cluster. Connections
/// already open stay with their pod, as through kube-proxy.
/// </summary>
internal sealed class EndpointsController(FakeApiServer.FakeApiServer server, TimeSpan lag)
{
    private readonly ConcurrentDictionary<(string Ns, string Name, string Port), ServiceEndpoints> _services = new();
    private readonly ConcurrentDictionary<IPEndPoint, DateTimeOffset> _leaving = new();

    /// <summary>The endpoints of port <paramref name="port"/> of Service <paramref name="ns"/>/<paramref name="name"/>, kept current from now on.</summary>
    public ServiceEndpoints For(string ns, string name, string port)
    {
        ServiceEndpoints endpoints = _services.GetOrAdd((ns, name, port), _ => new ServiceEndpoints());
        Sync();
        return endpoints;
    }

    public void Sync()
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        foreach (((string ns, string name, string port), ServiceEndpoints endpoints) in _services)
        {
            List<IPEndPoint> ready = Ready(ns, name, port);
            var lagging = new List<IPEndPoint>();
            foreach (IPEndPoint leaving in endpoints.Ready.Where(e => !ready.Contains(e)))
            {
                if (now - _leaving.GetOrAdd(leaving, now) < lag)
                {
                    lagging.Add(leaving);
                }
                else
                {
                    _leaving.TryRemove(leaving, out _);
                }
            }

            foreach (IPEndPoint back in ready)
            {
                _leaving.TryRemove(back, out _);
            }

            endpoints.Set([.. ready, .. lagging]);
        }
    }

    private List<IPEndPoint> Ready(string ns, string name, string portName)
    {
        JsonObject? service = server.Get("", "services", ns, name);
        JsonObject? selector = service?["spec"]?["selector"] as JsonObject;
        JsonObject? port = service?["spec"]?["ports"].Objects().FirstOrDefault(p => p.Str("name") == portName);
        if (selector is null || port is null)
        {
            return [];
        }

        return [.. server.List("", "pods", ns)
            .Where(p => !p.IsTerminating() && p.Condition("Ready") == "True" && p.Str("status", "podIP") is not null
                && selector.All(label => p.Str("metadata", "labels", label.Key) == label.Value?.GetValue<string>()))
            .Select(p => TargetPort(p, port) is { } target ? new IPEndPoint(IPAddress.Parse(p.Str("status", "podIP")!), target) : null)
            .OfType<IPEndPoint>()];
    }

    /// <summary>The Service port's targetPort on <paramref name="pod"/>: a number, or the name of one of its container ports.</summary>
    private static int? TargetPort(JsonObject pod, JsonObject port)
    {
        JsonNode? target = port["targetPort"] ?? port["port"];
        if (target is JsonValue value && value.TryGetValue(out int number))
        {
            return number;
        }

        string? named = target?.GetValue<string>();
        return named is not null && int.TryParse(named, NumberStyles.None, CultureInfo.InvariantCulture, out int parsed) ? parsed
            : pod["spec"]?["containers"].Objects().SelectMany(c => c["ports"].Objects()).FirstOrDefault(p => p.Str("name") == named)?.Long("containerPort") is { } found
                ? (int)found : null;
    }
}
