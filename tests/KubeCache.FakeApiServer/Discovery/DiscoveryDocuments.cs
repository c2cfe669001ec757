using System.Text.Json.Nodes;
using KubeCache.FakeApiServer.Resources;

namespace KubeCache.FakeApiServer.Discovery;

/// <summary>
/// The legacy discovery documents (/version, /api, /apis, /apis/{g}, /api/v1, /apis/{g}/{v}).
/// Clients that ask for aggregated discovery (apidiscovery.k8s.io/v2) accept these too: the
/// response's plain application/json content type tells them to fall back.
/// </summary>
internal static class DiscoveryDocuments
{
    /// <summary>The Kubernetes version the fake reports (the kubectl on the machine is 1.32).</summary>
    public const string GitVersion = "v1.32.0";

    private static readonly string[] ResourceVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
    private static readonly string[] SubresourceVerbs = ["get", "patch", "update"];

    public static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "32",
        ["gitVersion"] = GitVersion,
        ["gitCommit"] = "0000000000000000000000000000000000000000",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2024-12-11T00:00:00Z",
        ["goVersion"] = "go1.23.4",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    public static JsonObject CoreVersions(string host) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = host }),
    };

    public static JsonObject Groups(ResourceRegistry registry)
    {
        var groups = new JsonArray();
        foreach (var name in registry.All.Where(t => t.Group.Length > 0).Select(t => t.Group).Distinct())
        {
            groups.Add(GroupBody(registry, name));
        }
        return new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups };
    }

    public static JsonObject? Group(ResourceRegistry registry, string name)
    {
        if (!registry.All.Any(t => t.Group == name))
        {
            return null;
        }
        var body = GroupBody(registry, name);
        body["kind"] = "APIGroup";
        body["apiVersion"] = "v1";
        return body;
    }

    private static JsonObject GroupBody(ResourceRegistry registry, string name)
    {
        var types = registry.All.Where(t => t.Group == name).ToList();
        var versions = types.Select(t => t.Version).Distinct().ToList();
        var preferred = types.FirstOrDefault(t => t.StorageVersion)?.Version ?? versions[0];
        return new JsonObject
        {
            ["name"] = name,
            ["versions"] = new JsonArray([.. versions.Select(v => (JsonNode)new JsonObject { ["groupVersion"] = $"{name}/{v}", ["version"] = v })]),
            ["preferredVersion"] = new JsonObject { ["groupVersion"] = $"{name}/{preferred}", ["version"] = preferred },
        };
    }

    public static JsonObject? ResourceList(ResourceRegistry registry, string group, string version)
    {
        var types = registry.All.Where(t => t.Group == group && t.Version == version).ToList();
        if (types.Count == 0)
        {
            return null;
        }
        var resources = new JsonArray();
        foreach (var t in types)
        {
            var main = new JsonObject
            {
                ["name"] = t.Plural,
                ["singularName"] = t.Singular,
                ["namespaced"] = t.Namespaced,
                ["kind"] = t.Kind,
                ["verbs"] = Array(ResourceVerbs),
            };
            if (t.ShortNames.Count > 0)
            {
                main["shortNames"] = Array(t.ShortNames);
            }
            if (t.Categories.Count > 0)
            {
                main["categories"] = Array(t.Categories);
            }
            resources.Add(main);
            if (t.HasStatus)
            {
                resources.Add(new JsonObject { ["name"] = t.Plural + "/status", ["singularName"] = "", ["namespaced"] = t.Namespaced, ["kind"] = t.Kind, ["verbs"] = Array(SubresourceVerbs) });
            }
            if (t.Scale is not null)
            {
                resources.Add(new JsonObject
                {
                    ["name"] = t.Plural + "/scale",
                    ["singularName"] = "",
                    ["namespaced"] = t.Namespaced,
                    ["group"] = "autoscaling",
                    ["version"] = "v1",
                    ["kind"] = "Scale",
                    ["verbs"] = Array(SubresourceVerbs),
                });
            }
            if (t.StorageKey == "/pods")
            {
                // kubectl drain looks for this entry to evict rather than delete.
                resources.Add(new JsonObject
                {
                    ["name"] = "pods/eviction",
                    ["singularName"] = "",
                    ["namespaced"] = true,
                    ["group"] = "policy",
                    ["version"] = "v1",
                    ["kind"] = "Eviction",
                    ["verbs"] = Array(["create"]),
                });
            }
        }
        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }

    private static JsonArray Array(IEnumerable<string> values) => new([.. values.Select(v => JsonValue.Create(v))]);
}
