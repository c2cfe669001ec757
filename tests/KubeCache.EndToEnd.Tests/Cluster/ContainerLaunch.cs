using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using KubeCache.EndToEnd.Tests.Support;

namespace KubeCache.EndToEnd.Tests.Cluster;

/// <summary>How a pod's (first) container becomes a command line and an environment.</summary>
internal static class ContainerLaunch
{
    /// <summary>The container's args, then --bind with the pod IP and --http-port/--resp-port from its named ports.</summary>
    public static List<string> Arguments(JsonObject container, IPAddress ip)
    {
        var args = container["args"] is JsonArray given ? given.Select(a => a!.GetValue<string>()).ToList() : [];
        args.Add("--bind");
        args.Add(ip.ToString());
        foreach (JsonObject port in container["ports"].Objects())
        {
            string? flag = port.Str("name") switch
            {
                "http" => "--http-port",
                "resp" => "--resp-port",
                _ => null,
            };
            if (flag is not null && port.Long("containerPort") is { } number)
            {
                args.Add(flag);
                args.Add(number.ToString(CultureInfo.InvariantCulture));
            }
        }
        return args;
    }

    /// <summary>
    /// The container's env with downward-API fieldRefs and Secret/ConfigMap keyRefs resolved, plus
    /// KUBECONFIG pointing at the fake API server with the pod's service account token.
    /// </summary>
    public static Dictionary<string, string> Environment(JsonObject pod, JsonObject container, IPAddress ip, string kubeconfig, FakeApiServer.FakeApiServer server)
    {
        var env = new Dictionary<string, string>
        {
            ["KUBECONFIG"] = kubeconfig,
            // Many small processes share two cores: workstation GC keeps each one's heaps small.
            ["DOTNET_gcServer"] = "0",
        };
        foreach (JsonObject variable in container["env"].Objects())
        {
            string name = variable.Str("name") ?? "";
            string? value = variable.Str("value") ?? Resolve(pod, variable["valueFrom"] as JsonObject, ip, server);
            if (value is not null)
            {
                env[name] = value;
            }
        }
        return env;
    }

    /// <summary>The URL of an httpGet action (probe or preStop) on the pod's IP, resolving a named port.</summary>
    public static Uri? HttpGet(JsonObject container, JsonNode? action, IPAddress ip)
    {
        if (action?["httpGet"] is not JsonObject get)
        {
            return null;
        }
        long? port = get.Long("port") ?? container["ports"].Objects().FirstOrDefault(p => p.Str("name") == get.Str("port")).Long("containerPort");
        return port is null ? null : new Uri($"http://{ip}:{port}{get.Str("path") ?? "/"}");
    }

    private static string? Resolve(JsonObject pod, JsonObject? from, IPAddress ip, FakeApiServer.FakeApiServer server)
    {
        if (from?.Str("fieldRef", "fieldPath") is { } field)
        {
            return field switch
            {
                "metadata.name" => pod.Name(),
                "metadata.namespace" => pod.Namespace(),
                "metadata.uid" => pod.Uid(),
                "status.podIP" => ip.ToString(),
                "spec.nodeName" => pod.Str("spec", "nodeName"),
                "spec.serviceAccountName" => pod.Str("spec", "serviceAccountName"),
                _ => throw new NotSupportedException($"the simulated kubelet does not resolve fieldRef {field}"),
            };
        }
        if (from?["secretKeyRef"] is JsonObject secretRef)
        {
            string? encoded = server.Get("", "secrets", pod.Namespace(), secretRef.Str("name") ?? "").Str("data", secretRef.Str("key") ?? "");
            return encoded is null ? null : Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
        }
        if (from?["configMapKeyRef"] is JsonObject mapRef)
        {
            return server.Get("", "configmaps", pod.Namespace(), mapRef.Str("name") ?? "").Str("data", mapRef.Str("key") ?? "");
        }
        return null;
    }
}
