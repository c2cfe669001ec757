using System.Text;

namespace KubeCache.FakeApiServer.Hosting;

/// <summary>Writes a kubeconfig that points kubectl (or any client) at a fake server.</summary>
internal static class Kubeconfig
{
    /// <summary>The token written when the server checks none.</summary>
    public const string UncheckedToken = "unchecked";

    public static string Render(Uri server, string? caPem, string? token, string ns)
    {
        var sb = new StringBuilder();
        sb.Append("apiVersion: v1\nkind: Config\nclusters:\n- name: fake\n  cluster:\n");
        sb.Append("    server: ").Append(server.GetLeftPart(UriPartial.Authority)).Append('\n');
        if (caPem is not null)
        {
            sb.Append("    certificate-authority-data: ").Append(Convert.ToBase64String(Encoding.ASCII.GetBytes(caPem))).Append('\n');
        }
        // KubernetesClient refuses a kubeconfig user without credentials, so a server that checks no
        // token still gets one (which it ignores).
        sb.Append("users:\n- name: fake\n  user:\n    token: ").Append(token ?? UncheckedToken).Append('\n');
        sb.Append("contexts:\n- name: fake\n  context:\n    cluster: fake\n    user: fake\n    namespace: ").Append(ns).Append('\n');
        sb.Append("current-context: fake\n");
        return sb.ToString();
    }
}
