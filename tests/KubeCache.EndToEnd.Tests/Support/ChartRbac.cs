using System.Text.Json.Nodes;
using KubeCache.Testing;

namespace KubeCache.EndToEnd.Tests.Support;

/// <summary>
/// The operator's RBAC as the chart installs it: <c>helm template</c> of release <c>kvcache</c>
/// in <c>default</c>, its Roles, ClusterRoles and bindings created in the fake API server, and a
/// kubeconfig with the token of the operator's service account, so the operator's requests are
/// authorized exactly by what the chart grants.
/// </summary>
internal static class ChartRbac
{
    public const string Release = "kvcache";
    public const string Namespace = "default";
    public const string OperatorServiceAccount = "kvcache-operator";

    /// <summary>The operator's RBAC objects as the chart renders them with <paramref name="sets"/> (helm <c>--set</c>).</summary>
    public static List<JsonObject> Render(params string[] sets)
    {
        var args = new List<string> { "template", Release, RepoFiles.Path("charts", "kvcache"), "--namespace", Namespace };
        foreach (string template in new[] { "operator-clusterrole", "operator-clusterrolebinding", "operator-role", "operator-rolebinding" })
        {
            args.Add("--show-only");
            args.Add($"templates/{template}.yaml");
        }
        foreach (string set in sets)
        {
            args.Add("--set");
            args.Add(set);
        }
        (int exitCode, string output, string error) = HelmTool.Run(RepoFiles.Root, args);
        Assert.True(exitCode == 0, $"helm {string.Join(' ', args)} exited {exitCode}: {error}");
        return FakeApiServer.FakeApiServer.ParseManifests(output);
    }

    /// <summary>
    /// Creates <paramref name="rbac"/> (default: the chart's rendering) unless the chart's
    /// ClusterRole is there already, and returns a kubeconfig for the operator's service account.
    /// </summary>
    public static string OperatorKubeconfig(FakeApiServer.FakeApiServer server, string directory, IReadOnlyList<JsonObject>? rbac = null)
    {
        if (server.Get("rbac.authorization.k8s.io", "clusterroles", null, OperatorServiceAccount) is null)
        {
            foreach (JsonObject obj in rbac ?? Render())
            {
                server.Create(obj);
            }
        }
        // Written once: a running operator may be reading it while another one starts.
        string path = Path.Combine(directory, "kubeconfig-operator");
        return File.Exists(path) ? path : server.WriteServiceAccountKubeconfig(Namespace, OperatorServiceAccount, path);
    }
}
